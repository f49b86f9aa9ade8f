"""Two people in one question: each stands in the role whose cue is nearest to them.

"Which films star Humphrey Bogart and Lauren Bacall?" asks for the films of both, in one role; "Which films did
Scorsese direct starring De Niro?" gives each their own: Scorsese the director, De Niro the actor. A name before
"films" is that film's director ("Which Scorsese films star De Niro?", "Which of Capra's films …").
"""

from __future__ import annotations

import re
from typing import Any

from theoros_agents.agents.query_writer.reading import first_readings
from theoros_agents.agents.query_writer.rules import cue_offsets
from theoros_agents.knowledge.linker import normalize

ROLES = ("director", "screenwriter", "producer", "cast_member")
"""The relations whose value is a person."""
_EITHER = re.compile(r"\bor\b|\beither\b", re.IGNORECASE)
"""'Hitchcock or Wilder' asks for either one's films: no single query keeps both."""


def asks_either(question: str) -> bool:
    """Whether the question asks for either person's films ("Hitchcock or Wilder")."""
    return bool(_EITHER.search(question))


def _where(text: str, mention: str) -> int:
    match = re.search(rf"\b{re.escape(mention)}\b", text)
    return match.start() if match else -1


def roles(question: str, candidates: list[dict[str, Any]], relation: str) -> dict[int, str]:
    """The people's roles, by index in `candidates` ({} for fewer than two people).

    Of two, the one nearest the relation's cue takes it; the other takes the other role cued, or the director's,
    said as "Scorsese films", or the same role. More than two share the one role cued ("Which films star De Niro,
    Pacino and Brando?"); with several roles cued there is no telling who is which.
    """
    people = first_readings(candidates, "person")
    if relation not in ROLES or len(people) < 2 or asks_either(question):
        return {}
    text = normalize(question)
    offsets = {r: at for r, at in cue_offsets(text).items() if r in ROLES}
    if len(people) > 2:
        return dict.fromkeys(people, relation) if list(offsets) == [relation] else {}
    cue = offsets.get(relation, -1)
    where = {i: _where(text, candidates[i]["mention"]) for i in people}
    said_before = [i for i in people if before_films(text, candidates[i]["mention"])]
    if cue >= 0:
        first = min(people, key=lambda i: abs(where[i] - cue))
    else:
        # The director's role uncued is the one said as "Hitchcock films", whichever relation the reading is in.
        first = said_before[0] if relation == "director" and said_before else people[0]
    other = people[1] if first == people[0] else people[0]
    others = [r for r in offsets if r != relation]
    second = others[0] if others else "director" if other in said_before else relation
    return {first: relation, other: second}


def before_films(text: str, mention: str) -> bool:
    """Whether the mention is said before "films" ("Scorsese films", "Capra s films"): that film's director."""
    return re.search(rf"\b{re.escape(mention)}(?: s)? (films?|movies?)\b", text) is not None


def role_in_films(question: str, candidates: list[dict[str, Any]], index: int) -> str:
    """The role of the person at `index` in the films a question lists by something else ('' when none is told).

    "Which films starring Tom Hanks won an Oscar?": the actor's; "Which Spielberg films won Oscars?": the director's.
    """
    text, mention = normalize(question), candidates[index]["mention"]
    cued = [r for r in cue_offsets(text) if r in ROLES]
    if len(cued) == 1:
        return cued[0]
    if cued:
        return ""
    if before_films(text, mention):
        return "director"
    return "cast_member" if re.search(rf"\bwith {re.escape(mention)}\b", text) else ""  # "films with Tom Hanks"
