"""LangGraph entry point for the retriever graph."""

from theoros_agents.agents.registry import get_agent

graph = get_agent("retriever").compiled()
