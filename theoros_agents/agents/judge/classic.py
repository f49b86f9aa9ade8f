"""The classic judge: linear models over `features`, shipped as plain JSON numbers.

`scores` is a ridge regression onto people's 1-5 scores; `pairs` a logistic regression on the
difference of two outputs' features, fitted without an intercept and on both orders, so swapping
the outputs flips its choice exactly. `scripts/train_judge.py` rebuilds the file from the dev data.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from theoros_agents.errors import ConfigError

DATA = Path(__file__).resolve().parent / "data"
MODEL_FILE = DATA / "classic_judge.json"


@dataclass(frozen=True)
class LinearModel:
    """Standardise each feature, then a weighted sum plus an intercept."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float = 0.0

    def __post_init__(self) -> None:
        """Refuse a model whose arrays do not match its features."""
        sizes = {len(self.features), len(self.mean), len(self.scale), len(self.coef)}
        if len(sizes) != 1:
            raise ConfigError(f"classic judge model arrays differ in length: {sorted(sizes)}")
        if any(s <= 0 for s in self.scale) or not all(math.isfinite(v) for v in (*self.mean, *self.coef)):
            raise ConfigError("classic judge model needs finite weights and positive scales")

    def decision(self, values: Sequence[float]) -> float:
        """Return the model's raw output for one feature vector."""
        if len(values) != len(self.features):
            raise ValueError(f"expected {len(self.features)} features, got {len(values)}")
        terms = zip(values, self.mean, self.scale, self.coef, strict=True)
        return self.intercept + sum(c * (v - m) / s for v, m, s, c in terms)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
        }

    @classmethod
    def from_dict(cls, data: Any) -> LinearModel:
        """Read `to_dict`'s form."""
        try:
            return cls(
                tuple(str(f) for f in data["features"]),
                tuple(float(v) for v in data["mean"]),
                tuple(float(v) for v in data["scale"]),
                tuple(float(v) for v in data["coef"]),
                float(data.get("intercept", 0.0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"malformed classic judge model: {exc!r}") from exc


def probability(decision: float) -> float:
    """The logistic function, safe for large inputs."""
    if decision >= 0:
        return 1 / (1 + math.exp(-decision))
    e = math.exp(decision)
    return e / (1 + e)


@functools.cache
def load_models(path: Path = MODEL_FILE) -> dict[str, Any]:
    """Read the shipped models: {"embedding_model", "scores", "pairs", "hybrid_scores", ...} as `LinearModel`s."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read the classic judge model {str(path)!r}: {exc}") from exc
    if not isinstance(data, dict) or "embedding_model" not in data:
        raise ConfigError(f"{str(path)!r} is not a classic judge model")
    models: dict[str, Any] = {"embedding_model": str(data["embedding_model"])}
    for name in ("scores", "pairs", "hybrid_scores", "hybrid_pairs"):
        if name in data:
            models[name] = LinearModel.from_dict(data[name])
    return models
