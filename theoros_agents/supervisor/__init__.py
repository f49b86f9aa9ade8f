"""Supervisor: routing, fan-out, composition and the judge gate."""
