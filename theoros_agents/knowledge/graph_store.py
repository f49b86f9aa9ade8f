"""Graph stores with one interface: embedded Oxigraph or a remote SPARQL 1.1 endpoint."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import httpx
import pyoxigraph as ox

from theoros_agents.errors import CorruptInput, QueryRejected, StoreError
from theoros_agents.knowledge.sparql import check_read_only, with_prefixes

Row = dict[str, str]
USER_AGENT = "Theoros/0.1 (movie question answering; https://pypi.org/project/theoros-agents/)"


class GraphStore(Protocol):
    """A read-only view of a Wikidata-vocabulary graph."""

    def select(self, query: str, *, validate: bool = True, max_rows: int | None = None) -> list[Row]:
        """Run a SELECT query; return at most `max_rows` rows (store default; 0 for all) of variable → text."""

    def ask(self, query: str) -> bool:
        """Run an ASK query."""

    def describe(self) -> str:
        """Say where the store is."""


def _is_locked(error: OSError) -> bool:
    """Whether opening failed because another process holds the store's lock (RocksDB's LOCK file)."""
    return "lock" in str(error).lower()


def _term(value: object) -> str:
    return str(getattr(value, "value", value))


class EmbeddedGraphStore:
    """Oxigraph in this process: on disk at `path`, or in memory when `path` is None."""

    def __init__(self, path: Path | None = None, max_rows: int = 200, *, read_only: bool = False) -> None:
        self.path, self.max_rows, self.read_only = path, max_rows, read_only
        self.held_elsewhere = False
        """Opened read-only because another process holds the store (not because the caller asked)."""
        self.store = self._open(path, read_only)
        self.generation = self._read_generation()
        """A token that changes whenever Theoros writes to this store ('' in memory or never written).

        Caches built from the store's content (the label index) are named by it. Read once: a store
        this process holds is written only through it, and a read-only one sees the snapshot it opened.
        """

    def _open(self, path: Path | None, read_only: bool) -> ox.Store:
        try:
            if read_only and path is not None:
                return ox.Store.read_only(str(path))
            return ox.Store(str(path)) if path else ox.Store()
        except OSError as exc:
            if path is None or not _is_locked(exc):
                raise StoreError(f"cannot open graph store at {str(path)!r}: {exc}") from exc
            # Another process (a server, another CLI) holds the store: read what it has written so far.
            self.read_only = self.held_elsewhere = True
            return self._open_read_only(path, exc)

    @staticmethod
    def _open_read_only(path: Path, locked: OSError) -> ox.Store:
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:  # RuntimeError: the other process is still creating the store
            raise StoreError(
                f"the graph store at {str(path)!r} is held by another process ({locked}) and cannot be read "
                f"either ({exc}); stop that process or point THEOROS_HOME elsewhere"
            ) from exc

    def _read_generation(self) -> str:
        if self.path is None:
            return ""
        try:
            return self._generation_file().read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def _generation_file(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".generation")

    def _bump_generation(self) -> None:
        if self.path is not None:
            self.generation = uuid.uuid4().hex
            self._generation_file().write_text(self.generation, encoding="utf-8")

    def _check_writable(self) -> None:
        if self.held_elsewhere:
            raise StoreError(f"the graph store at {str(self.path)!r} is held by another process; stop it to load data")
        if self.read_only:
            raise StoreError(f"the graph store at {str(self.path)!r} was opened read-only")

    def describe(self) -> str:
        """Say where the store is."""
        where = f"embedded oxigraph at {self.path}" if self.path else "embedded oxigraph in memory"
        if self.held_elsewhere:
            return where + " (read-only: another process holds it)"
        return where + (" (read-only)" if self.read_only else "")

    def __len__(self) -> int:
        return len(self.store)

    def load(self, path: Path) -> None:
        """Load an N-Triples or Turtle file in one transaction: a parse error leaves the store as it was.

        Raises:
            CorruptInput: the file does not parse; the message names the file and line.
            StoreError: the file or the store cannot be read or written.
        """
        self._check_writable()
        fmt = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.N_TRIPLES
        try:
            self.store.load(path=str(path), format=fmt)
            self._bump_generation()
        except SyntaxError as exc:
            raise CorruptInput(f"{path}:{exc.lineno}: {exc.msg}; nothing from this file was stored") from exc
        except OSError as exc:
            raise StoreError(f"cannot load {str(path)!r}: {exc}") from exc

    def load_ntriples(self, data: bytes, source: str) -> None:
        """Load N-Triples bytes (e.g. a CONSTRUCT result) in one transaction; `source` names them in errors."""
        self._check_writable()
        try:
            self.store.load(input=data, format=ox.RdfFormat.N_TRIPLES)
            self._bump_generation()
        except SyntaxError as exc:
            raise CorruptInput(f"{source}:{exc.lineno}: {exc.msg}; nothing from it was stored") from exc
        except OSError as exc:
            raise StoreError(f"cannot store triples from {source}: {exc}") from exc

    def _query(self, query: str, validate: bool) -> object:
        full = check_read_only(query) if validate else with_prefixes(query)
        try:
            return self.store.query(full)
        except SyntaxError as exc:
            raise QueryRejected(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"graph store query failed: {exc}") from exc

    def select(self, query: str, *, validate: bool = True, max_rows: int | None = None) -> list[Row]:
        """Run a SELECT query; return at most `max_rows` rows (store default; 0 for all)."""
        limit = self.max_rows if max_rows is None else max_rows
        results = self._query(query, validate)
        if not isinstance(results, ox.QuerySolutions):
            raise QueryRejected("expected a SELECT query")
        names = [v.value for v in results.variables]
        rows: list[Row] = []
        solution = None
        for solution in results:
            rows.append({n: _term(solution[n]) for n in names if solution[n] is not None})
            if limit and len(rows) >= limit:
                break
        # Oxigraph results may only be freed on the thread that made them; free them here, not in a later GC pass.
        del solution, results
        return rows

    def ask(self, query: str) -> bool:
        """Run an ASK query."""
        result = self._query(query, True)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryRejected("expected an ASK query")
        return bool(result)


class RemoteGraphStore:
    """A SPARQL 1.1 protocol endpoint (live Wikidata, QLever, `oxigraph serve`)."""

    def __init__(
        self, endpoint: str, timeout: float = 10.0, max_rows: int = 200, retries: int = 3, min_interval: float = 0.0
    ) -> None:
        self.endpoint, self.timeout, self.max_rows, self.retries = endpoint, timeout, max_rows, retries
        # Public endpoints such as live Wikidata ask clients to space their requests out.
        self.min_interval, self._last_request = min_interval, 0.0
        self.client = httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT})

    def describe(self) -> str:
        """Say where the store is."""
        return f"SPARQL endpoint {self.endpoint}"

    def _wait_turn(self) -> None:
        pause = self._last_request + self.min_interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._last_request = time.monotonic()

    def _post(self, query: str) -> dict:
        response = self._send(query, "application/sparql-results+json")
        try:
            return response.json()
        except ValueError as exc:
            raise StoreError(f"SPARQL endpoint {self.endpoint} sent no JSON results") from exc

    def construct(self, query: str) -> bytes:
        """Run a CONSTRUCT query; return the graph as N-Triples bytes."""
        return self._send(query, "application/n-triples").content

    def _send(self, query: str, accept: str) -> httpx.Response:
        full = check_read_only(query)
        headers = {"Accept": accept}
        for attempt in range(self.retries + 1):
            self._wait_turn()
            try:
                response = self.client.post(self.endpoint, data={"query": full}, headers=headers)
            except httpx.TimeoutException as exc:
                raise StoreError(f"SPARQL endpoint {self.endpoint} did not answer within {self.timeout:g} s") from exc
            except httpx.HTTPError as exc:
                raise StoreError(f"SPARQL endpoint {self.endpoint} unreachable: {exc}") from exc
            if response.status_code == 429 and attempt < self.retries:
                time.sleep(_retry_after(response, attempt))
                continue
            if response.status_code == 400:
                raise QueryRejected(f"endpoint refused the query: {response.text[:300]}")
            if response.status_code >= 300:
                raise StoreError(f"SPARQL endpoint {self.endpoint} answered HTTP {response.status_code}")
            return response
        raise StoreError(f"SPARQL endpoint {self.endpoint} kept answering 429 Too Many Requests")

    def select(self, query: str, *, validate: bool = True, max_rows: int | None = None) -> list[Row]:
        """Run a SELECT query; return at most `max_rows` rows (store default; 0 for all)."""
        limit = self.max_rows if max_rows is None else max_rows
        bindings: Iterable[dict] = self._post(query).get("results", {}).get("bindings", [])
        rows = [{k: v.get("value", "") for k, v in b.items()} for b in bindings]
        return rows[:limit] if limit else rows

    def ask(self, query: str) -> bool:
        """Run an ASK query."""
        return bool(self._post(query).get("boolean"))


def _retry_after(response: httpx.Response, attempt: int) -> float:
    """Honour Retry-After (seconds) when given, else back off exponentially."""
    try:
        return min(float(response.headers.get("Retry-After", "")), 60.0)
    except ValueError:
        return min(2.0**attempt, 30.0)
