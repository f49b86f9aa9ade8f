"""Timing helpers: percentiles, ratios, timed loops, and child processes measured by wall time and peak memory."""

from __future__ import annotations

import math
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """Return the q-th percentile (0-100), interpolating linearly between the closest ranks (numpy's default).

    Raises:
        ValueError: With no values, or q outside 0-100.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {q!r}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    """Return the median (the 50th percentile)."""
    return percentile(values, 50)


def ratio(numerator: float, denominator: float) -> float | None:
    """Return numerator / denominator, or None when the denominator is not positive (no ratio is meant)."""
    if denominator <= 0 or math.isnan(denominator) or math.isnan(numerator):
        return None
    return numerator / denominator


@dataclass(frozen=True)
class Summary:
    """Latency of repeated calls, in milliseconds."""

    p50: float
    p95: float
    n: int

    @classmethod
    def of(cls, timings_ms: Sequence[float]) -> Summary:
        """Summarise timings (milliseconds)."""
        return cls(percentile(timings_ms, 50), percentile(timings_ms, 95), len(timings_ms))


def time_calls(calls: Sequence[Callable[[], object]], rounds: int, warm_up: bool = True) -> list[float]:
    """Run each call once unmeasured (when `warm_up`), then all of them `rounds` times; return milliseconds."""
    if warm_up:
        for call in calls:
            call()
    timings = []
    for _ in range(rounds):
        for call in calls:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


async def time_async_calls(
    calls: Sequence[Callable[[], Awaitable[object]]], rounds: int, warm_up: bool = True
) -> list[float]:
    """`time_calls` for coroutine functions, awaited one at a time."""
    if warm_up:
        for call in calls:
            await call()
    timings = []
    for _ in range(rounds):
        for call in calls:
            started = time.perf_counter()
            await call()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def rotations(items: Sequence[Any], rounds: int) -> list[list[Any]]:
    """The items in a different order each round (rotated by one), so that no item always runs first.

    Used to interleave commands measured side by side: a burst of load on the machine then falls on
    each of them alike.
    """
    size = len(items)
    return [[items[(start + i) % size] for i in range(size)] for start in range(rounds)] if size else []


@dataclass(frozen=True)
class Measured:
    """A child process: its exit code, wall time, peak resident memory and output."""

    returncode: int
    wall_s: float
    max_rss_mb: float
    """Peak resident set size of the child alone (`wait4`'s `ru_maxrss`), in MiB."""
    stdout: str
    stderr: str


def run_measured(
    command: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 600.0, cwd: str | None = None
) -> Measured:
    """Run a command to completion and measure its wall time and its own peak memory.

    `os.wait4` reports the resource usage of that one child (`getrusage(RUSAGE_CHILDREN)` would give the
    largest of all children so far). A child still running after `timeout` seconds is killed.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(list(command), stdout=out, stderr=err, env=dict(env) if env else None, cwd=cwd)
        killer = threading.Timer(timeout, child.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    # Linux reports ru_maxrss in KiB.
    return Measured(child.returncode, wall, usage.ru_maxrss / 1024, stdout, stderr)


def own_peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux: `ru_maxrss` is in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def directory_mb(path: Path) -> float:
    """Size of the files under `path`, in MiB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20
