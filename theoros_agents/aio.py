"""Keep a loader's first call off the event loop without paying a thread hop on every later call.

Stores, indexes, classifiers, prompts and models are opened once per process and then served from memory.
The first call may read files or build an index, so it runs on a worker thread (LangGraph's dev server
rejects blocking I/O on its loop); later calls are memory lookups, and a thread hop would cost more than
the lookup itself.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
_WARM: set[Hashable] = set()
_LIMIT = 1024
"""Keys remembered; past this many (a server with many distinct per-run settings) the set starts again."""


async def warm_call(key: Hashable, function: Callable[..., T], *args: Any) -> T:
    """Return `function(*args)`: on a worker thread the first time for `key`, inline once it has succeeded.

    Args:
        key: What the result depends on; calls with the same key must be served from the function's own cache.
        function: A memoised loader.
        *args: Its arguments.
    """
    if key in _WARM:
        return function(*args)
    result = await asyncio.to_thread(function, *args)
    if len(_WARM) >= _LIMIT:
        _WARM.clear()
    _WARM.add(key)
    return result


def forget() -> None:
    """Send every loader back to a worker thread (after a store's contents changed and its caches were dropped)."""
    _WARM.clear()


def inline(route: Callable[..., Any]) -> Any:
    """Wrap a routing function so that LangGraph calls it on the event loop, untraced.

    Under `ainvoke` LangGraph runs a plain function given to `add_conditional_edges` on an executor thread,
    and that hop costs more than the decision. It also traces every edge as a run of its own: a task and two
    callback events per decision, even with no handler listening. The wrapper is what LangGraph makes of a
    node function: its own `RunnableCallable` with tracing off. It keeps the function's name, signature (so
    a `runtime` parameter is still filled in) and `Literal` return type (from which the edge's targets are
    read); `invoke` calls the function itself, `ainvoke` the same function on the loop.
    """

    @functools.wraps(route)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return route(*args, **kwargs)

    try:
        from langgraph._internal._runnable import RunnableCallable
    except ImportError:  # A LangGraph release that moved its internal class: on the loop, traced as before.
        return run
    return RunnableCallable(route, run, name=route.__name__, trace=False)
