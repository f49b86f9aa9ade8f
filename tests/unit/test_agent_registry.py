"""The agent registry: every consumer is derived from it, and a plugin adds a fifth agent with no edit."""

import json
import os
import subprocess
import sys
from pathlib import Path

from theoros_agents.agents.registry import all_agents, intent_agents
from theoros_agents.server import langgraph_config

REPO = Path(__file__).resolve().parents[2]
PLUGIN = Path(__file__).parent / "plugin"

TOY_CHECK = """
import json
from theoros_agents import Theoros
from theoros_agents.supervisor.graph import build_supervisor
from theoros_agents.tools.mcp_server import agent_tools
graph = build_supervisor().compile(name="supervisor")
answer = Theoros().ask("Tell me some trivia about Jaws")
print(json.dumps({
    "nodes": sorted(graph.get_graph().nodes),
    "subgraphs": sorted(name for name, _ in graph.get_subgraphs()),
    "intents": answer.intents,
    "answer": answer.answer,
    "tools": [tool.name for tool in agent_tools()],
}))
"""


def test_langgraph_json_is_derived_from_the_registry():
    assert json.loads((REPO / "langgraph.json").read_text()) == langgraph_config()
    for spec in all_agents():
        assert (REPO / "graphs" / f"{spec.name}.py").is_file()


def test_intents_map_to_agents():
    assert intent_agents() == {"fact": "query_writer", "plot": "retriever", "search": "retriever", "tagging": "tagger"}


def _with_plugin(args, home):
    env = os.environ | {"PYTHONPATH": str(PLUGIN), "THEOROS_HOME": str(home)}
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, cwd=REPO)


def test_a_fifth_agent_through_the_registry_alone(home):
    theoros = str(Path(sys.executable).parent / "theoros")
    listed = _with_plugin([theoros, "models", "--json", "--set", "trivia_depth=2"], home)
    assert listed.returncode == 0, listed.stderr
    assert {"agent": "trivia", "model": "llamacpp:smollm2-135m", "available": True, "reason": ""} in json.loads(
        listed.stdout
    )
    bad = _with_plugin([theoros, "models", "--set", "trivia_depth=7"], home)
    assert bad.returncode == 2 and "'trivia_depth' must be between 1 and 3" in bad.stderr
    checked = _with_plugin([sys.executable, "-c", TOY_CHECK], home)
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout.strip().splitlines()[-1])
    assert "trivia" in result["nodes"] and "trivia" in result["subgraphs"]
    assert result["intents"] == ["trivia"]
    assert result["answer"] == "Trivia about Jaws: it has a page in the knowledge graph."
    assert result["tools"] == ["tag", "judge", "trivia"]  # `theoros mcp` offers it too
