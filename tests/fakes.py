"""The one scripted fake chat model all tests share."""

from __future__ import annotations

import itertools

from theoros_agents.models.fake import ScriptedChatModel
from theoros_agents.models.registry import register_fake

_names = itertools.count()


def scripted(*replies: str) -> tuple[str, ScriptedChatModel]:
    """Register a scripted model; return its `fake:` id and the instance (to inspect what it saw)."""
    model = ScriptedChatModel(replies=list(replies))
    name = f"script{next(_names)}"
    register_fake(name, model)
    return f"fake:{name}", model
