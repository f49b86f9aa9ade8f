"""Specialist agents, one folder each."""
