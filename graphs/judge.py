"""LangGraph entry point for the judge graph."""

from theoros_agents.agents.judge import build_judge

graph = build_judge().compile(name="judge")
