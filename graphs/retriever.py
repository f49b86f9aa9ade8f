"""LangGraph entry point for the retriever graph."""

from theoros_agents.agents.retriever import build_retriever

graph = build_retriever().compile(name="retriever")
