"""The instant model: scripted replies with no inference, so that what is measured is Theoros and LangGraph alone."""

from __future__ import annotations

import json
from typing import Any

ROUTER_REPLY = json.dumps({"intent": "fact"})
WRITER_REPLY = json.dumps({"relation": "director"})
READER_REPLY = "Titanic is about a young aristocrat and a poor artist who fall in love aboard the doomed liner."

MODEL_SETTINGS: dict[str, Any] = {"query_writer_strategy": "intent", "router_threshold": 1.01}
"""Strategies that consult a model on every fact request: the routing model decides every route (no classifier
confidence reaches 1.01) and the query writer's model picks every relation."""


def instant_settings(delay: float = 0.0, prefix: str = "bench") -> dict[str, Any]:
    """Register scripted routing and query-writer models (each call waits `delay` s); return the settings using them.

    Registered models are shared by every node of this process (`fake:<name>`); each repeats its one reply.
    """
    from theoros_agents.models import register_fake
    from theoros_agents.models.fake import ScriptedChatModel

    router, writer = f"{prefix}-router", f"{prefix}-writer"
    register_fake(router, ScriptedChatModel(replies=[ROUTER_REPLY], delay=delay, model_id=f"fake:{router}"))
    register_fake(writer, ScriptedChatModel(replies=[WRITER_REPLY], delay=delay, model_id=f"fake:{writer}"))
    return MODEL_SETTINGS | {"supervisor_model": f"fake:{router}", "query_writer_model": f"fake:{writer}"}


def server_environment() -> dict[str, str]:
    """The same instant models for a server process, as THEOROS_* variables (inline scripts, nothing registered)."""
    return {
        "THEOROS_SUPERVISOR_MODEL": "fake:" + json.dumps([ROUTER_REPLY]),
        "THEOROS_QUERY_WRITER_MODEL": "fake:" + json.dumps([WRITER_REPLY]),
        "THEOROS_QUERY_WRITER_STRATEGY": str(MODEL_SETTINGS["query_writer_strategy"]),
        "THEOROS_ROUTER_THRESHOLD": str(MODEL_SETTINGS["router_threshold"]),
    }


FACT_QUESTIONS = (
    ("Who directed Titanic?", "James Cameron"),
    ("Who directed Casablanca?", "Michael Curtiz"),
    ("Who directed Boyhood?", "Richard Linklater"),
    ("Who directed Rocky?", "John G. Avildsen"),
    ("Who directed Parasite?", "Bong Joon-ho"),
    ("Who directed Goodfellas?", "Martin Scorsese"),
    ("Who directed Gandhi?", "Richard Attenborough"),
    ("Who directed Unforgiven?", "Clint Eastwood"),
    ("Who directed Platoon?", "Oliver Stone"),
    ("Who directed Amadeus?", "Miloš Forman"),
)
"""Fact questions with the name their answer must hold, answerable from the starter catalog (a new home, the
servers' scratch home) and from the development KG alone (the `make bench` home)."""
