"""LangGraph entry point for the query_writer graph."""

from theoros_agents.agents.registry import get_agent

graph = get_agent("query_writer").compiled()
