"""LangGraph entry point for the supervisor graph."""

from theoros_agents.supervisor.graph import build_supervisor

graph = build_supervisor().compile(name="supervisor")
