"""LangGraph entry point for the judge graph."""

from theoros_agents.agents.registry import get_agent

graph = get_agent("judge").compiled()
