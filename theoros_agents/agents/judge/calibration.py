"""Isotonic calibration: map a judge's raw score onto people's 1-5 scale, monotonically.

Fitted on labelled development data (pool-adjacent-violators), saved as plain JSON: the knots
`x` (raw scores, increasing) and `y` (calibrated scores, non-decreasing). Between knots the map
is linear; outside them it is flat, and every output is clipped to the scale.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from theoros_agents.errors import ConfigError

LOW, HIGH = 1.0, 5.0


@dataclass(frozen=True)
class Calibration:
    """A monotone map from raw judge scores to the 1-5 scale."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __post_init__(self) -> None:
        """Refuse knots that are not a monotone map (they come from a file, so this is input checking)."""
        if not self.x or len(self.x) != len(self.y):
            raise ConfigError(f"calibration needs as many x as y knots, at least one; got {len(self.x)}, {len(self.y)}")
        if not all(math.isfinite(v) for v in (*self.x, *self.y)):
            raise ConfigError("calibration knots must be finite numbers")
        if any(b <= a for a, b in zip(self.x, self.x[1:], strict=False)):
            raise ConfigError("calibration x knots must increase")
        if any(b < a for a, b in zip(self.y, self.y[1:], strict=False)):
            raise ConfigError("calibration y knots must not decrease")

    def apply(self, raw: float) -> float:
        """Return the calibrated score of `raw`, within 1-5."""
        if not math.isfinite(raw):
            raise ValueError(f"cannot calibrate a non-finite score {raw!r}")
        x, y = self.x, self.y
        if raw <= x[0]:
            value = y[0]
        elif raw >= x[-1]:
            value = y[-1]
        else:
            i = next(k for k in range(1, len(x)) if raw <= x[k])
            share = (raw - x[i - 1]) / (x[i] - x[i - 1])
            value = y[i - 1] + share * (y[i] - y[i - 1])
        return min(HIGH, max(LOW, value))

    def to_dict(self) -> dict[str, list[float]]:
        """Plain JSON form."""
        return {"x": list(self.x), "y": list(self.y)}

    @classmethod
    def from_dict(cls, data: object) -> Calibration:
        """Read `to_dict`'s form; anything else is a clear error."""
        if not isinstance(data, dict) or not isinstance(data.get("x"), list) or not isinstance(data.get("y"), list):
            raise ConfigError(f"a calibration is {{'x': [...], 'y': [...]}}, got {str(data)[:80]!r}")
        values = [*data["x"], *data["y"]]
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
            raise ConfigError("calibration knots must be numbers")
        return cls(tuple(float(v) for v in data["x"]), tuple(float(v) for v in data["y"]))


def _pool(values: list[float], weights: list[float]) -> tuple[list[float], list[float], list[int]]:
    """Pool adjacent violators: block means, block weights and block sizes of the best non-decreasing fit."""
    means: list[float] = []
    totals: list[float] = []
    sizes: list[int] = []
    for value, weight in zip(values, weights, strict=True):
        means.append(value)
        totals.append(weight)
        sizes.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            weight_sum = totals[-2] + totals[-1]
            mean = (means[-2] * totals[-2] + means[-1] * totals[-1]) / weight_sum
            size = sizes[-2] + sizes[-1]
            del means[-2:], totals[-2:], sizes[-2:]
            means.append(mean)
            totals.append(weight_sum)
            sizes.append(size)
    return means, totals, sizes


def fit_isotonic(raw: Sequence[float], human: Sequence[float]) -> Calibration:
    """Fit the non-decreasing map from `raw` scores to `human` scores that is closest in squared error.

    Equal raw scores are merged first (their human mean), so the knots' x strictly increase.
    """
    if len(raw) != len(human):
        raise ValueError(f"length mismatch: {len(raw)} raw scores for {len(human)} human scores")
    if not raw:
        raise ValueError("cannot fit a calibration on no items")
    if not all(math.isfinite(v) for v in (*raw, *human)):
        raise ValueError("calibration data must be finite numbers")
    merged: dict[float, list[float]] = {}
    for r, h in zip(raw, human, strict=True):
        merged.setdefault(float(r), []).append(float(h))
    xs = sorted(merged)
    means, _, sizes = _pool([sum(merged[x]) / len(merged[x]) for x in xs], [float(len(merged[x])) for x in xs])
    knots_x, knots_y, start = [], [], 0
    for mean, size in zip(means, sizes, strict=True):
        # Each block spans raw scores xs[start..start+size-1]; its two ends keep the map flat across it.
        for x in dict.fromkeys((xs[start], xs[start + size - 1])):
            knots_x.append(x)
            knots_y.append(min(HIGH, max(LOW, mean)))
        start += size
    return Calibration(tuple(knots_x), tuple(knots_y))


def load_calibration(path: Path) -> Calibration:
    """Read a calibration JSON file."""
    try:
        return Calibration.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read calibration {str(path)!r}: {exc}") from exc


def save_calibration(calibration: Calibration, path: Path) -> None:
    """Write a calibration as JSON."""
    path.write_text(json.dumps(calibration.to_dict(), indent=1) + "\n", encoding="utf-8")
