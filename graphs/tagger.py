"""LangGraph entry point for the tagger graph."""

from theoros_agents.agents.tagger import build_tagger

graph = build_tagger().compile(name="tagger")
