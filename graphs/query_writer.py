"""LangGraph entry point for the query_writer graph."""

from theoros_agents.agents.query_writer import build_query_writer

graph = build_query_writer().compile(name="query_writer")
