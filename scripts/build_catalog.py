"""Build the starter catalog that ships inside the package.

Maintainer tool, not part of the product: it selects the best-documented films
(most awards, then most cast members) from a Wikidata-vocabulary N-Triples file,
keeps their direct facts and the labels of everything they point to, and adds
the hand-written facts in ``catalog/extra_films.nt`` for films the source lacks.

Usage: python scripts/build_catalog.py ../shared/data/wikidata_films.nt 300
"""

import collections
import sys
from pathlib import Path

import pyoxigraph as ox

CATALOG = Path(__file__).resolve().parent.parent / "theoros_agents" / "knowledge" / "catalog"
FILM_PROPS = {"P57", "P161", "P58", "P162", "P136", "P577", "P495", "P166"}
WDT = "http://www.wikidata.org/prop/direct/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
REQUIRED = {"Q4103201", "Q47703", "Q132689", "Q61448040", "Q44578"}


def main(source: str, count: int) -> None:
    triples = list(ox.parse(path=source, format=ox.RdfFormat.N_TRIPLES))
    score: collections.Counter[str] = collections.Counter()
    films: set[str] = set()
    for t in triples:
        pred = t.predicate.value
        if pred.startswith(WDT) and pred[len(WDT) :] in {"P57", "P161", "P58", "P162"}:
            films.add(t.subject.value)
        if pred == WDT + "P166":
            score[t.subject.value] += 10
        if pred == WDT + "P161":
            score[t.subject.value] += 1
    ranked = sorted(films, key=lambda f: -score[f])
    chosen = set(ranked[:count]) | {"http://www.wikidata.org/entity/" + q for q in REQUIRED}
    kept = [
        t
        for t in triples
        if t.subject.value in chosen and (t.predicate.value == LABEL or t.predicate.value[len(WDT) :] in FILM_PROPS)
    ]
    kept += list(ox.parse(path=str(CATALOG / "extra_films.nt"), format=ox.RdfFormat.N_TRIPLES))
    objects = {t.object.value for t in kept if isinstance(t.object, ox.NamedNode)}
    kept += [t for t in triples if t.subject.value in objects and t.predicate.value == LABEL]
    lines = sorted({str(t) + " ." for t in kept})
    (CATALOG / "films.nt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(chosen)} films, {len(lines)} triples -> {CATALOG / 'films.nt'}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
