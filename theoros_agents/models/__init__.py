"""Model registry: every agent's model comes from `load_chat_model("provider:model")`."""

from theoros_agents.models.registry import (
    aload_chat_model,
    check_model,
    check_run_model,
    load_chat_model,
    register_fake,
    split_model_id,
)
from theoros_agents.models.structured import ANSWER_TAG, Reply, ask_structured, write_text

__all__ = [
    "ANSWER_TAG",
    "Reply",
    "ask_structured",
    "write_text",
    "aload_chat_model",
    "check_model",
    "check_run_model",
    "load_chat_model",
    "register_fake",
    "split_model_id",
]
