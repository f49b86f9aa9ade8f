"""Theoros: a supervisor routes movie questions to specialist small-model agents."""

from theoros_agents.api import Answer, Theoros
from theoros_agents.context import Context, resolve_context
from theoros_agents.errors import TheorosError
from theoros_agents.models import load_chat_model

__all__ = ["Answer", "Context", "Theoros", "TheorosError", "load_chat_model", "resolve_context"]
