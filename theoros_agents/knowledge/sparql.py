"""SPARQL checks shared by every graph store: read-only, parseable, known ids."""

from __future__ import annotations

import re

import pyoxigraph as ox

from theoros_agents.errors import QueryRejected

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
PREFIXES = f"PREFIX wd: <{WD}>\nPREFIX wdt: <{WDT}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
_UPDATE = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b\s*(DATA|WHERE|GRAPH|SILENT|DEFAULT|ALL|NAMED|\{|<)",
    re.IGNORECASE,
)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_ENTITY = re.compile(r"(?:\bwd:|<http://www\.wikidata\.org/entity/)(Q\d+)")


def is_entity_id(value: object) -> bool:
    """Whether a value is a graph entity's id ("Q42"), and so safe to write into a query as `wd:Q42`."""
    return isinstance(value, str) and re.fullmatch(r"Q\d+", value) is not None


def with_prefixes(query: str) -> str:
    """Prepend the wd/wdt/rdfs prefixes unless the query declares its own."""
    return query if re.search(r"^\s*PREFIX\s+wd:", query, re.IGNORECASE | re.MULTILINE) else PREFIXES + query


def _strip_literals(query: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', query)


def check_read_only(query: str) -> str:
    """Return the query with prefixes if it parses as a read query that calls no other server.

    Raises:
        QueryRejected: an update, a SERVICE clause (federation would let a query choose an address the
            server calls), or a syntax error.
    """
    if not query or not query.strip():
        raise QueryRejected("empty SPARQL query")
    bare = _strip_literals(query)
    match = _UPDATE.search(bare)
    if match:
        raise QueryRejected(f"SPARQL update {match.group(1).upper()!r} refused: Theoros only reads graphs")
    if _SERVICE.search(bare):
        raise QueryRejected("SPARQL SERVICE refused: a query may not call another server")
    full = with_prefixes(query)
    try:
        # Oxigraph's parser, run against an empty in-memory store: parsing is the whole cost.
        ox.Store().query(full)
    except SyntaxError as exc:
        raise QueryRejected(f"SPARQL syntax error: {exc}") from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryRejected(f"SPARQL cannot be compiled: {type(exc).__name__}: {exc}") from exc
    return full


def query_kind(full: str) -> str:
    """'SELECT', 'ASK' or 'CONSTRUCT' (also for DESCRIBE) of a query `check_read_only` accepted."""
    result = ox.Store().query(full)
    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    return "SELECT" if isinstance(result, ox.QuerySolutions) else "CONSTRUCT"


def entity_ids(query: str) -> set[str]:
    """Return the Wikidata Q-ids a query mentions."""
    return set(_ENTITY.findall(query))
