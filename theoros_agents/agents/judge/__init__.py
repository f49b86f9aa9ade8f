"""Judge agent."""

from theoros_agents.agents.judge.graph import build_judge

__all__ = ["build_judge"]
