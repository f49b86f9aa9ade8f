"""What the judge model must reply: reason first, then a score or a choice, nothing else."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

RUBRICS = ("answer", "subgenre_fit")
# The grammar stops a small model's reason here; a longer one from another provider is still accepted.
_REASON = Field(min_length=1, json_schema_extra={"maxLength": 240})


def _integer_choice(value: Any, allowed: range) -> Any:
    """Turn 4, 4.0 or "4" into 4; leave anything else for the Literal check to reject.

    Pydantic would read `true` as 1 and a float as whatever it compares equal to, so a
    boolean, a fractional number or NaN must never get that far.
    """
    if isinstance(value, bool):
        raise ValueError(f"a boolean is not a score: {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError(f"score must be a whole number, got {value!r}")
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and int(value.strip()) in allowed:
        return int(value.strip())
    return value


def _stripped_reason(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ScoreReply(BaseModel):
    """An absolute grade: the reason comes first so the score follows from it."""

    reason: str = _REASON
    score: Literal[1, 2, 3, 4, 5]

    _reason = field_validator("reason", mode="before")(_stripped_reason)

    @field_validator("score", mode="before")
    @classmethod
    def _whole_score(cls, value: Any) -> Any:
        return _integer_choice(value, range(1, 6))


class PairReply(BaseModel):
    """A pairwise choice: why, then which of the two outputs shown is better."""

    reason: str = _REASON
    better: Literal[1, 2]

    _reason = field_validator("reason", mode="before")(_stripped_reason)

    @field_validator("better", mode="before")
    @classmethod
    def _whole_choice(cls, value: Any) -> Any:
        return _integer_choice(value, range(1, 3))
