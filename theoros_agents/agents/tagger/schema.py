"""Typed replies of the tagger's model: the label enum is in the JSON schema, and replies are validated after."""

from __future__ import annotations

import functools
from typing import Annotated, Literal

from pydantic import BaseModel, Field, WithJsonSchema, create_model


class LabelCheck(BaseModel):
    """Whether the film belongs to the one label asked about."""

    answer: Literal["yes", "no"]


@functools.lru_cache(maxsize=64)
def pick_schema(names: tuple[str, ...], most: int) -> type[BaseModel]:
    """Return a schema whose `labels` the model must pick from `names` (one to `most` of them).

    The enum constrains decoding; validation accepts any string so that the tagger itself can name
    and drop a label outside the set instead of losing the whole reply.
    """
    label = Annotated[str, WithJsonSchema({"type": "string", "enum": list(names)})]
    return create_model(
        "LabelPick",
        __doc__="Labels chosen for the synopsis, from the allowed ones only.",
        labels=(list[label], Field(min_length=1, max_length=max(most, 1))),  # type: ignore[valid-type]
    )
