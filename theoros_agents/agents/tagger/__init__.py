"""Tagger agent."""

from theoros_agents.agents.tagger.graph import build_tagger

__all__ = ["build_tagger"]
