"""Retriever agent."""

from theoros_agents.agents.retriever.graph import build_retriever

__all__ = ["build_retriever"]
