"""Entity linking: a label index over the graph, exact then fuzzy, with years for films."""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from theoros_agents.knowledge.graph_store import GraphStore
from theoros_agents.knowledge.names import CONNECTORS, PUNCTUATION, names_in, title_cased
from theoros_agents.knowledge.sparql import WD

INDEX_FORMAT = "labels-v7"
KIND_QUERIES = {
    "film": "SELECT DISTINCT ?e WHERE { ?e wdt:P57|wdt:P161|wdt:P58|wdt:P162 ?x }",
    "person": "SELECT DISTINCT ?e WHERE { ?f wdt:P57|wdt:P161|wdt:P58|wdt:P162 ?e }",
    "genre": "SELECT DISTINCT ?e WHERE { ?f wdt:P136 ?e }",
    "country": "SELECT DISTINCT ?e WHERE { ?f wdt:P495 ?e }",
    "award": "SELECT DISTINCT ?e WHERE { ?f wdt:P166 ?e }",
}
STOPWORDS = frozenset(
    "a an the of in on at to for by and or is was were be been what which who whom whose where when how why "
    "film films movie movies picture did does do has have had name one some this that it its his her their "
    "about with from as type kind sort genre country year director directed wrote written produced".split()
)
NICKNAMES = {
    "oscar": "academy award",
    "oscars": "academy awards",
    "american": "united states",
    "australian": "australia",
    "austrian": "austria",
    "belgian": "belgium",
    "brazilian": "brazil",
    "british": "united kingdom",
    "canadian": "canada",
    "chinese": "people s republic of china",
    "danish": "denmark",
    "dutch": "netherlands",
    "egyptian": "egypt",
    "french": "france",
    "german": "germany",
    "greek": "greece",
    "indian": "india",
    "irish": "ireland",
    "italian": "italy",
    "japanese": "japan",
    "korean": "south korea",
    "mexican": "mexico",
    "polish": "poland",
    "russian": "russia",
    "soviet": "soviet union",
    "spanish": "spain",
    "swedish": "sweden",
    "swiss": "switzerland",
    "taiwanese": "taiwan",
    "uk": "united kingdom",
    "usa": "united states",
}
"""What people call an award or a country the graph names otherwise ("Oscar", "French"): read so only where the
word links nothing as it is ("Oscar Isaac", "The French Connection")."""
PAIRED_NICKNAMES = {("sci", "fi"): ("science", "fiction"), ("rom", "com"): ("romantic", "comedy")}
"""Two-word names of genres, read word for word as the genre's own two words ("sci-fi": "science fiction")."""


def _nicknamed(words: list[str]) -> list[str]:
    """The words with each nickname read as the name it stands for, word for word (see `NICKNAMES`)."""
    named = [NICKNAMES.get(w, w) for w in words]
    for i in range(len(words) - 1):
        if (pair := PAIRED_NICKNAMES.get((words[i], words[i + 1]))) is not None:
            named[i : i + 2] = pair
    return named


GENRE_NOUNS = frozenset(
    ["drama", "comedy", "western", "horror", "thriller", "musical", "documentary", "romance", "science fiction"]
)
"""Genres named by a noun alone ("a drama"), linked to their "… film" genre; others ("action") are common words."""
_FOLLOWING = STOPWORDS | frozenset(
    "are be been any ever also not really so very good like come came released starring starred star stars win won "
    "end ends ended set made make get got take takes based shot filmed called named".split()
)
REFERENCE = re.compile(
    r"\b(?:(?:that|this|the) (?:film|movie)(?!\s+(?!(?:" + "|".join(sorted(_FOLLOWING)) + r")\b)[a-z0-9])|it)\b",
    re.IGNORECASE,
)
"""Words that point back at a film named earlier in a conversation: "the film" before a title introduces it instead
("What genre is the film Antibody?")."""


PERSON_REFERENCE = re.compile(r"\b(he|she|him|his|her)\b", re.IGNORECASE)
"""Words that point back at a person named earlier in a conversation ("they" may mean films: not read)."""


def which_person(reference: str) -> str:
    """Ask whom a question means that points back at a person ("he") with none named before."""
    return f"Who is {reference!r}? Name them, or ask in the same conversation (thread) as a question that names them."


def which_film(reference: str) -> str:
    """Ask which film a question means that points back at one ("it") with none named before."""
    return (
        f"Which film is {reference!r}? Name it, or ask in the same conversation (thread) as a question that names it."
    )


_YEAR_HINT = re.compile(r"\((\d{4})(?:\s+film)?\)|\b(1[89]\d\d|20\d\d)\b")


def fold_accents(text: str) -> str:
    """Drop accents and other non-ASCII marks, keeping case and punctuation."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def normalize(text: str) -> str:
    """Lowercase, strip accents and punctuation, fold '&' to 'and', drop a '(film)' suffix."""
    text = fold_accents(text)
    text = re.sub(r"\((?:\d{4}\s+)?film\)", " ", text.lower()).replace("&", " and ")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9½ ]+", " ", text)).strip()


def _variants(label: str, kind: str = "") -> set[str]:
    norm = normalize(label)
    out = {norm}
    if norm.startswith("the "):
        out.add(norm[4:])
    if kind == "genre" and norm.endswith(" film") and norm.removesuffix(" film") in GENRE_NOUNS:
        out.add(norm.removesuffix(" film"))  # "Is Casablanca a drama?"
    if kind == "award" and norm.startswith("academy award for "):
        out.add(norm.removeprefix("academy award for "))  # "Which films won Best Picture?": the Oscar, as people say
    if kind == "award" and norm.endswith(" awards"):
        # An award family ("Academy Awards", "Golden Globe Awards") is asked for as one of them: "won an Academy
        # Award", "a Golden Globe". A one-word remainder ("Academy") is too common a word to stand for it.
        singular = norm[:-1]
        out.add(singular)
        if len(singular.split()) > 2:
            out.add(singular.removesuffix(" award"))
    return {v for v in out if v}


@dataclass(frozen=True)
class Entity:
    """A graph node with its English label."""

    id: str
    label: str
    kind: str
    year: int | None = None


@dataclass(frozen=True)
class Candidate:
    """A possible reading of a mention, best first when ranked."""

    entity: Entity
    mention: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        """The linked mention as agents pass it on: id, label, kind, year, mention, score."""
        e = self.entity
        return {
            "id": e.id,
            "label": e.label,
            "kind": e.kind,
            "year": e.year,
            "mention": self.mention,
            "score": self.score,
        }


@dataclass
class LabelIndex:
    """Normalized label → entities, built once per store."""

    entities: dict[str, Entity] = field(default_factory=dict)
    by_label: dict[str, list[Entity]] = field(default_factory=lambda: defaultdict(list))
    max_words: int = 1
    by_word: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Content word → labels holding it: the shortlist that keeps fuzzy linking within milliseconds."""
    added: list[Entity] = field(default_factory=list)
    """Every entity in the order it was added, so the index can be saved and rebuilt exactly."""
    films_of: dict[str, int] = field(default_factory=dict)
    """Person id → how many films the graph gives them: which of several namesakes a surname alone means."""

    @classmethod
    def from_store(cls, store: GraphStore) -> LabelIndex:
        """Read labels, kinds and film years from the graph."""
        kinds: dict[str, str] = {}
        for kind, query in reversed(KIND_QUERIES.items()):
            kinds.update(
                {r["e"].removeprefix(WD): kind for r in store.select(query, validate=False, max_rows=0) if "e" in r}
            )
        years = {
            r["f"].removeprefix(WD): int(r["y"])
            for r in store.select(
                "SELECT ?f (MIN(SUBSTR(STR(?d), 1, 4)) AS ?y) WHERE { ?f wdt:P577 ?d } GROUP BY ?f",
                validate=False,
                max_rows=0,
            )
            if r.get("y", "").isdigit()
        }
        index = cls(films_of=_films_per_person(store))
        for row in store.select("SELECT ?e ?label WHERE { ?e rdfs:label ?label }", validate=False, max_rows=0):
            qid = row["e"].removeprefix(WD)
            index.add(Entity(qid, row["label"], kinds.get(qid, "other"), years.get(qid)))
        return index

    def save(self, path: Path) -> None:
        """Write the index as JSON (written whole, then renamed, so a reader never sees half of it)."""
        position = {entity: i for i, entity in enumerate(dict.fromkeys(self.added))}
        data = {
            "format": INDEX_FORMAT,
            "entities": [[e.id, e.label, e.kind, e.year] for e in position],
            "added": [position[e] for e in self.added],
            "by_label": {label: [position[e] for e in found] for label, found in self.by_label.items()},
            "by_word": {word: sorted(labels) for word, labels in self.by_word.items()},
            "max_words": self.max_words,
            "films_of": self.films_of,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".json", delete=False, encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(f.name, path)

    @classmethod
    def load(cls, path: Path) -> LabelIndex:
        """Rebuild an index saved by `save` without normalising a label again; ValueError when it is not one."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT:
            raise ValueError(f"{path} is not a label index of format {INDEX_FORMAT}")
        entities = [Entity(str(q), str(label), str(kind), year) for q, label, kind, year in data["entities"]]
        index = cls(max_words=int(data["max_words"]), films_of={k: int(v) for k, v in data["films_of"].items()})
        index.added = [entities[i] for i in data["added"]]
        index.entities = {e.id: e for e in index.added}
        index.by_label.update({label: [entities[i] for i in found] for label, found in data["by_label"].items()})
        index.by_word.update({word: set(labels) for word, labels in data["by_word"].items()})
        return index

    def add(self, entity: Entity) -> None:
        """Index one entity under every variant of its label."""
        self.added.append(entity)
        self.entities[entity.id] = entity
        for variant in _variants(entity.label, entity.kind):
            if entity not in self.by_label[variant]:
                self.by_label[variant].append(entity)
            self.max_words = max(self.max_words, len(variant.split()))
            for word in variant.split():
                if word not in STOPWORDS:
                    self.by_word[word].add(variant)

    def exact(self, text: str) -> list[Entity]:
        """Entities whose label matches `text` up to case, accents, punctuation and a leading 'the'."""
        found: list[Entity] = []
        for variant in _variants(text):
            found += [e for e in self.by_label.get(variant, []) if e not in found]
        return found

    def link(
        self, mention: str, *, kind: str | None = None, year: int | None = None, limit: int = 5
    ) -> list[Candidate]:
        """Rank entities for a mention: exact matches first, then fuzzy ones; year and kind break ties."""
        hint = year or _year_hint(mention)
        exact = [Candidate(e, mention, 100.0) for e in self.exact(mention) if not kind or e.kind == kind]
        fuzzy: list[Candidate] = []
        if len(exact) < limit:
            for label, score, _ in process.extract(
                normalize(mention), self._shortlist(normalize(mention)), scorer=fuzz.WRatio, limit=limit * 3
            ):
                fuzzy += [
                    Candidate(e, mention, float(score)) for e in self.by_label[label] if not kind or e.kind == kind
                ]
        # An entity reached through several label variants keeps its best score.
        best: dict[str, Candidate] = {}
        for c in fuzzy + exact:
            if c.entity.id not in best or c.score > best[c.entity.id].score:
                best[c.entity.id] = c
        ranked = sorted(best.values(), key=lambda c: _rank(c, hint))
        return ranked[:limit]

    def _shortlist(self, text: str) -> list[str]:
        """Labels worth the costly WRatio scorer: those sharing a content word or a close spelling of an unknown one.

        WRatio over every label takes ~20 ms on 17k labels; over this shortlist it ranks the same top labels.
        """
        words = list(self.by_word)
        labels: set[str] = set()
        for word in text.split():
            if word in STOPWORDS:
                continue
            if word in self.by_word:
                labels.update(self.by_word[word])
                continue
            close = process.extract(word, words, scorer=fuzz.ratio, score_cutoff=SPELLING, limit=8)
            labels.update(label for match, _, _ in close for label in self.by_word[match])
        labels.update(label for label, _, _ in process.extract(text, list(self.by_label), scorer=fuzz.ratio, limit=64))
        return sorted(labels)

    def mentions(self, question: str) -> list[Candidate]:
        """Find the longest non-overlapping label n-grams of a question (exact matches only).

        A nickname ("Oscar") is read as the name it stands for only where the words link nothing as they are, or
        inside a longer label ("the Oscar for Best Picture"). Then a name said alone may be a surname (`_surnames`),
        and readings of part of a name the graph lacks are dropped (`_whole_names`).
        """
        words = normalize(question).split()
        hint = _year_hint(question)
        taken = [False] * len(words)
        # A nickname inside a longer label ("the Oscar for Best Picture") is read first, as that label.
        nicknames = _nicknamed(words)
        nicknamed = frozenset(i for i, (w, n) in enumerate(zip(words, nicknames, strict=True)) if w != n)
        found = self._scan(nicknames, taken, hint, words, nicknamed) if nicknamed else []
        found += self._scan(words, taken, hint, words)
        named = [w if used else n for w, n, used in zip(words, nicknames, taken, strict=True)]
        if named != words:
            found += self._scan(named, taken, hint, words)
        if title_cased(question):
            return found  # every word is capitalised: capitals tell no names
        found += self._surnames(question, words, taken)
        return _once_each(_whole_names(question, found))

    def _surnames(self, question: str, words: list[str], taken: list[bool]) -> list[Candidate]:
        """Link a free name said without a first name ("Hitchcock", "De Niro") to its person with the most films.

        Only when that person has at least twice the films of any namesake: "Ford" alone (John, Harrison) links none.
        """
        found = []
        for name in names_in(question):
            said = normalize(name).split()
            start = next((i for i in range(len(words)) if words[i : i + len(said)] == said), None)
            if not said or start is None or any(taken[start : start + len(said)]) or said[-1] in STOPWORDS:
                continue
            people = sorted(self._people_named(" ".join(said)), key=lambda e: -self.films_of.get(e.id, 0))
            counts = [self.films_of.get(e.id, 0) for e in people[:2]]
            if len(counts) == 1 or counts and counts[0] >= 2 * counts[1]:
                found.append(Candidate(people[0], " ".join(said), 100.0))
                taken[start : start + len(said)] = [True] * len(said)
        return found

    def _people_named(self, surname: str) -> list[Entity]:
        labels = self.by_word.get(surname.split()[-1], set())
        people = {e for label in labels if label.endswith(f" {surname}") for e in self.by_label[label]}
        return [e for e in people if e.kind == "person"]

    def _scan(
        self,
        words: list[str],
        taken: list[bool],
        hint: int | None,
        said: list[str],
        around: frozenset[int] = frozenset(),
    ) -> list[Candidate]:
        """Link the longest free n-grams first, marking their words taken; a mention is in the words `said`.

        `around`: only n-grams of two words or more holding one of these positions.
        """
        found: list[Candidate] = []
        for size in range(min(self.max_words, len(words)), 1 if around else 0, -1):
            for start in range(len(words) - size + 1):
                gram = words[start : start + size]
                if any(taken[start : start + size]) or all(w in STOPWORDS or w.isdigit() for w in gram):
                    continue
                if around and not around.intersection(range(start, start + size)):
                    continue
                text = " ".join(gram)
                entities = self.by_label.get(text) or self.by_label.get(_singular(text), [])
                if entities:
                    mention = " ".join(said[start : start + size])
                    found += sorted((Candidate(e, mention, 100.0) for e in entities), key=lambda c: _rank(c, hint))
                    taken[start : start + size] = [True] * size
        return found

    def close_mentions(self, question: str) -> list[Candidate]:
        """Fuzzy readings of quoted phrases, else of the question's content words, kept only when close."""
        phrases = _QUOTED.findall(question) or [_content(question)]
        found = [(c, phrase) for phrase in phrases if phrase.strip() for c in self.link(phrase, limit=3)]
        close = [c for c, phrase in found if c.score >= CLOSE_ENOUGH and _spelled_out(c.entity.label, phrase)]
        if title_cased(question):
            return close
        # A label that is part of a longer name said ("Star!" of "Star Wars Episode IV") is another entity.
        names = [_words_of(name) for name in names_in(question)]
        return [c for c in close if not any(_words_of(c.entity.label) < n for n in names)]


def _films_per_person(store: GraphStore) -> dict[str, int]:
    rows = store.select(
        "SELECT ?p (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f wdt:P57|wdt:P161|wdt:P58|wdt:P162 ?p } GROUP BY ?p",
        validate=False,
        max_rows=0,
    )
    return {r["p"].removeprefix(WD): int(r["n"]) for r in rows if r.get("n", "").isdigit()}


def _words_of(name: str) -> set[str]:
    """A name's words as labels are indexed, without its connectors ("lord", "rings" of "The Lord of the Rings")."""
    return set(normalize(name).split()) - CONNECTORS


def uncovered_names(question: str, mentions: Iterable[str]) -> list[tuple[str, set[str]]]:
    """The names a question says that the linked mentions do not cover word for word, each with its words.

    None in a title-cased question, where capitals tell no names.
    """
    if title_cased(question):
        return []
    linked = {word for mention in mentions for word in mention.split()}
    return [(name, words) for name in names_in(question) if not (words := _words_of(name)) <= linked]


def _whole_names(question: str, found: list[Candidate]) -> list[Candidate]:
    """Drop the readings of a part of a name that is not linked whole.

    "Star" of "Star Wars Episode IV" is not the film "Star!", nor "Oscar" of "Oscar Isaac" the Academy Award: the
    question names something the graph lacks, which the answer should say.
    """
    names = names_in(question)
    partial = [words for _, words in uncovered_names(question, (c.mention for c in found))]
    said = {word.strip(PUNCTUATION) for word in question.split()}

    def whole(candidate: Candidate) -> bool:
        words = set(candidate.mention.split()) - CONNECTORS
        if any(words < name for name in partial):
            return False
        # A question that capitalises names does not write a title as a lower-case word ("star" is not "Star!").
        lower_word = candidate.mention in said and " " not in candidate.mention
        return not (names and lower_word and candidate.entity.kind == "film")

    return [c for c in found if whole(c)]


def _once_each(found: list[Candidate]) -> list[Candidate]:
    """Drop a film read a second time from other words than its title: "Alien or Aliens" names two films.

    "Aliens" links the film Alien as a plural only; beside "Alien" itself it must name a film the graph lacks.
    """
    exact = {c.entity.id for c in found if c.entity.kind == "film" and c.mention == normalize(c.entity.label)}
    return [c for c in found if c.entity.id not in exact or c.mention == normalize(c.entity.label)]


SPELLING = 75.0
"""Plain edit ratio above which a word is taken for a misspelling of an indexed word."""
_QUOTED = re.compile(r'["“”]([^"“”]{2,})["“”]')
CLOSE_ENOUGH = 88.0
MISSPELT = 70.0
"""Plain edit ratio at which one word of a fuzzy reading's label passes for a misspelling ('wolfs': 'wolves' 73)."""


def _spelled_out(label: str, phrase: str) -> bool:
    """Whether each word of the label is in the phrase, or a misspelling of one of its words.

    WRatio scores a label found inside a longer word as a near match ("ali" inside "alien": 90), so a film
    missing from the graph would be answered as a shorter namesake. A misspelling keeps a word's length
    within one letter; a cut-off word does not.
    """
    words = normalize(phrase).split()
    for part in normalize(label).split():
        if part in STOPWORDS or part in words:
            continue
        if not any(abs(len(part) - len(w)) <= 1 and fuzz.ratio(part, w) >= MISSPELT for w in words):
            return False
    return True


def _singular(text: str) -> str:
    """The singular of a plural last word ("westerns", "comedies"), or '' when it is not plural."""
    if text.endswith("ies"):
        return text[:-3] + "y"
    return text[:-1] if text.endswith("s") else ""


def _content(question: str) -> str:
    return " ".join(w for w in normalize(question).split() if w not in STOPWORDS)


def _year_hint(text: str) -> int | None:
    match = _YEAR_HINT.search(text)
    return int(match.group(1) or match.group(2)) if match else None


def _rank(candidate: Candidate, year: int | None) -> tuple[float, int, int]:
    """Best score first; then the film of the hinted year; films before other kinds; lower (older) Q-ids."""
    entity = candidate.entity
    year_miss = 0 if year is None or entity.year == year else 1
    film_first = 0 if entity.kind == "film" else 1
    return (-candidate.score, year_miss * 2 + film_first, int(entity.id[1:]))
