"""Query writer agent: natural language to SPARQL that runs."""

from theoros_agents.agents.query_writer.graph import build_query_writer

__all__ = ["build_query_writer"]
