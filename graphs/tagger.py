"""LangGraph entry point for the tagger graph."""

from theoros_agents.agents.registry import get_agent

graph = get_agent("tagger").compiled()
