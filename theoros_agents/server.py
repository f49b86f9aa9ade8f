"""The LangGraph API: the graphs `langgraph.json` serves, derived from the agent registry, and its auth."""

from __future__ import annotations

from typing import Any

from theoros_agents.agents.registry import all_agents

SUPERVISOR_DESCRIPTION = (
    "Routes a movie question to the specialists (in parallel when it is compound), composes one answer and can "
    "have the judge grade it."
)


def langgraph_config() -> dict[str, Any]:
    """The `langgraph.json` this registry implies: the supervisor and every agent as its own graph."""
    graphs = {"supervisor": {"path": "./graphs/supervisor.py:graph", "description": SUPERVISOR_DESCRIPTION}}
    for spec in all_agents():
        graphs[spec.name] = {"path": f"./graphs/{spec.name}.py:graph", "description": spec.description}
    return {
        "$schema": "https://langgra.ph/schema.json",
        "python_version": "3.11",
        "dependencies": ["."],
        "graphs": graphs,
        "auth": {"path": "./theoros_agents/server_auth.py:auth"},
    }
