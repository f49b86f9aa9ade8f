"""Benchmark figures: each beside its target with met/MISSED, printed as a table and saved as JSON.

Targets are reported, never asserted: a missed target is a finding, not a failure of the run.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Target:
    """An upper (`at_most`) or lower (`at_least`) bound a figure should meet."""

    limit: float
    at_most: bool = True

    def met(self, value: float | None) -> bool | None:
        """Whether `value` meets the bound; None when there is no value."""
        if value is None:
            return None
        return value <= self.limit if self.at_most else value >= self.limit


@dataclass(frozen=True)
class Figure:
    """One reported figure: a median (or a ratio, a rate, a count), its p95 when it is a latency, its target."""

    section: str
    name: str
    value: float | None
    unit: str
    p95: float | None = None
    target: Target | None = None
    n: int = 0
    """How many measurements the figure summarises (0: a single measurement or a derived figure)."""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    """Raw numbers behind the figure, for the JSON file only."""

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None without a target or a value."""
        return self.target.met(self.value) if self.target else None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON-ready form, with the verdict."""
        data = asdict(self)
        data["met"] = self.met
        return data


def format_value(value: float | None, unit: str) -> str:
    """Render a value with its unit: '12.3 ms', '1.42×', '35.0 docs/s', '—' when missing."""
    if value is None:
        return "—"
    if unit == "x":
        return f"{value:.2f}×" if abs(value) >= 0.1 or value == 0 else f"{value:.2g}×"
    if unit == "%":
        return f"{value:.1f}%"
    if unit in ("", "count"):
        return f"{value:g}"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{digits}f} {unit}"


def format_target(target: Target | None, unit: str) -> str:
    """Render a target: '≤ 1.50×', '≤ 5 ms', '' without one."""
    if target is None:
        return ""
    sign = "≤" if target.at_most else "≥"
    suffix = {"x": "×", "%": "%", "count": "", "": ""}.get(unit, f" {unit}")
    return f"{sign} {target.limit:g}{suffix}"


def verdict(figure: Figure) -> str:
    """'met', 'MISSED', or '' without a target."""
    met = figure.met
    return "" if met is None else "met" if met else "MISSED"


def table(figures: Sequence[Figure]) -> str:
    """A Markdown table of the figures, grouped by section in order of first appearance."""
    lines = ["| section | figure | p50 / value | p95 | target | | note |", "|---|---|---|---|---|---|---|"]
    shown: str | None = None
    for f in figures:
        section = f.section if f.section != shown else ""
        shown = f.section
        p95 = format_value(f.p95, f.unit) if f.p95 is not None else ""
        row = [section, f.name, format_value(f.value, f.unit), p95, format_target(f.target, f.unit), verdict(f), f.note]
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    try:
        load = list(os.getloadavg())
    except OSError:
        load = []
    return {
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in load],
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }


def save(path: Path, figures: Sequence[Figure], meta: dict[str, Any]) -> None:
    """Write the figures and what they were measured on as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = meta | {"figures": [f.as_json() for f in figures]}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
