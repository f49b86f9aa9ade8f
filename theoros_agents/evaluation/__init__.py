"""Evaluation harness: `theoros eval` and its metrics."""
