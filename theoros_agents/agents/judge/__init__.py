"""Judge agent."""

from theoros_agents.agents.judge.graph import build_judge
from theoros_agents.agents.judge.state import JudgeInput, Verdict

__all__ = ["JudgeInput", "Verdict", "build_judge"]
