"""Model registry: every agent's model comes from `load_chat_model("provider:model")`."""

from theoros_agents.models.registry import check_model, load_chat_model, register_fake, split_model_id
from theoros_agents.models.structured import Reply, ask_structured

__all__ = ["Reply", "ask_structured", "check_model", "load_chat_model", "register_fake", "split_model_id"]
