"""Timing helpers: percentiles, ratios, timed loops, and child processes measured by wall time and peak memory."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
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
    """Peak resident set size of the command alone, in MiB (see `run_measured`)."""
    stdout: str
    stderr: str


LAUNCHER = """
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
sys.stderr.write("\\n%s %f %d\\n" % (sys.argv[1], time.perf_counter() - started, usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""Runs the command as its own child and reports its wall time and `ru_maxrss` on the last line of stderr.

Linux keeps a process's `ru_maxrss` across exec, and a child started from a large process begins with the
large process's size (the benchmark's own models and stores): it would report that instead of its own. Forked
from this small launcher instead, the command's figure is its own (at least the launcher's few MiB).
"""
MARKER = "__bench_measured__"


def run_measured(
    command: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 600.0, cwd: str | None = None
) -> Measured:
    """Run a command to completion; measure its wall time and its own peak memory (Linux, through `LAUNCHER`).

    Raises:
        subprocess.TimeoutExpired: The command ran longer than `timeout` seconds (it is killed).
    """
    launcher = [sys.executable, "-S", "-c", LAUNCHER, MARKER, *command]
    # Its own session, so that a timeout ends the command too, not only the launcher.
    child = subprocess.Popen(
        launcher,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env) if env else None,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise
    stderr = err.decode(errors="replace")
    body, _, last = stderr.rstrip("\n").rpartition("\n")
    fields = last.split()
    if len(fields) != 3 or fields[0] != MARKER:
        raise RuntimeError(f"the measuring launcher failed (exit {child.returncode}): {stderr[-500:]}")
    # Linux reports ru_maxrss in KiB.
    return Measured(child.returncode, float(fields[1]), int(fields[2]) / 1024, out.decode(errors="replace"), body)


def own_peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux: `ru_maxrss` is in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def directory_mb(path: Path) -> float:
    """Size of the files under `path`, in MiB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20
