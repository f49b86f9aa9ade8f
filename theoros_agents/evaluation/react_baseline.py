"""The one-model baseline: a single ReAct agent that answers film questions with two tools, in plain text.

It is what Theoros's specialists are compared with (`make bench`, tokens per answered question): the same
model id does the whole job — read the question, choose a tool, write SPARQL or a search query, read the
observation, answer. The llama.cpp chat model has no native tool calling, so the loop is the text form of
ReAct (Yao et al., 2022): the model writes `Thought:`, `Action:` and `Action Input:` lines, generation stops
at `Observation:`, the tool's output is sent back as the observation, and `Final Answer:` ends the loop.
Tools: `sparql` (a read-only SELECT over the graph store, through the same check as the query writer's) and
`search_plots` (hybrid search over the plot store). A reply with neither an action nor a final answer is
taken as the final answer, as a tool-calling agent takes a reply without tool calls: it ends the loop early,
which spares the baseline tokens, so the comparison errs in its favour.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

MAX_STEPS = 4
"""Model calls per question; a question still unanswered after them gets the last reply as its answer."""
MAX_TOKENS = 160
"""Tokens one step may write: a thought, an action and its input fit."""
OBSERVATION_CHARS = 1200
"""The most of a tool's output sent back, so the prompt stays within a small model's context."""
TOOLS = ("sparql", "search_plots")

SYSTEM = """You answer questions about films. You have two tools:
- sparql: runs a SPARQL SELECT query over a Wikidata-style knowledge graph of films. Entities are wd:Q... ids with
  rdfs:label names. Properties: wdt:P57 director, wdt:P58 screenwriter, wdt:P162 producer, wdt:P161 cast member,
  wdt:P136 genre, wdt:P495 country of origin, wdt:P577 publication date, wdt:P166 award received.
  Example: SELECT ?name WHERE { ?film rdfs:label "Jaws" . ?film wdt:P57 ?d . ?d rdfs:label ?name }
- search_plots: searches film plot summaries; its input is a short description or a film title.

Use this format:
Thought: what to do next
Action: the tool's name
Action Input: the query
Observation: the tool's result (given to you)
... (Thought/Action/Action Input/Observation may repeat)
Thought: I know the answer
Final Answer: the answer, naming the films or people asked for"""

_FINAL = re.compile(r"final\s+answer\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
_ACTION = re.compile(r"\baction\s*:\s*(.+)", re.IGNORECASE)
_INPUT = re.compile(r"\baction\s+input\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
_FENCE = re.compile(r"^```[a-z]*\s*|\s*```$", re.IGNORECASE)


@dataclass(frozen=True)
class Step:
    """What one model reply asks for: a final answer, a tool call, or nothing usable (both empty)."""

    thought: str = ""
    action: str = ""
    action_input: str = ""
    final: str | None = None


def parse_step(text: str) -> Step:
    """Read one ReAct reply: `Final Answer:` wins; else the first `Action:` and its `Action Input:`.

    The action name is lower-cased and stripped of punctuation; the input loses quotes, code fences and
    anything from an `Observation:` the model wrote itself.
    """
    thought_match = re.search(r"thought\s*:\s*(.*?)(?=\n\s*(action|final answer)\s*:|\Z)", text, re.I | re.S)
    thought = thought_match.group(1).strip() if thought_match else ""
    final = _FINAL.search(text)
    if final:
        return Step(thought=thought, final=final.group(1).split("\nObservation:")[0].strip())
    action = _ACTION.search(text)
    given = _INPUT.search(text)
    if action is None or given is None:
        return Step(thought=thought)
    name = tool_name(action.group(1))
    value = re.split(r"\n\s*observation\s*:", given.group(1), maxsplit=1, flags=re.I)[0].strip()
    value = _FENCE.sub("", value).strip().strip("\"'`").strip()
    return Step(thought=thought, action=name, action_input=value)


def tool_name(text: str) -> str:
    """The tool an `Action:` line names: its word lower-cased, or the one tool name the line contains."""
    name = re.sub(r"[^a-z_]", "", text.strip().lower())
    named = [tool for tool in TOOLS if re.search(rf"\b{tool}\b", text.lower())]
    return named[0] if name not in TOOLS and len(named) == 1 else name


@dataclass
class Run:
    """One question through the baseline: its answer and what it cost."""

    question: str
    answer: str = ""
    steps: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    tool_calls: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        """Prompt and completion tokens together."""
        return self.prompt_tokens + self.completion_tokens


def run_tool(name: str, argument: str, context: Any) -> str:
    """Run one tool on the configured stores; a failure is the observation, as a ReAct agent would see it."""
    from theoros_agents.errors import TheorosError
    from theoros_agents.knowledge.stores import graph_store, plot_store

    if not argument:
        return "error: empty input"
    try:
        if name == "sparql":
            rows = graph_store(context).select(argument, max_rows=20)
            return "\n".join(", ".join(f"{k}={v}" for k, v in row.items()) for row in rows) or "no rows"
        if name == "search_plots":
            hits = plot_store(context).search(argument, 3)
            return (
                "\n".join(f"{h.title} ({h.year}): {h.text.split(': ', 1)[-1][:300]}" for h in hits) or "nothing found"
            )
    except (TheorosError, ValueError, OSError) as exc:
        return f"error: {exc}"
    return f"error: unknown tool {name!r}; tools are {', '.join(TOOLS)}"


async def answer(question: str, model_id: str, context: Any) -> Run:
    """Answer one question with the ReAct loop (at most MAX_STEPS model calls)."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    from theoros_agents.models import load_chat_model
    from theoros_agents.models.structured import Reply
    from theoros_agents.usage import record

    model: Any = load_chat_model(model_id, context.temperature, context.home)
    if hasattr(model, "max_tokens"):
        model = model.model_copy(update={"max_tokens": MAX_TOKENS})
    messages: list[Any] = [SystemMessage(SYSTEM), HumanMessage(f"Question: {question}")]
    run = Run(question)
    last = ""
    for _ in range(MAX_STEPS):
        try:
            reply = await model.ainvoke(messages, stop=["\nObservation:", "Observation:"])
        except Exception as exc:  # noqa: BLE001 - a failed call ends the run and is reported
            run.errors.append(f"{type(exc).__name__}: {exc}")
            break
        run.steps += 1
        usage = dict(reply.usage_metadata or {})
        rec = record(
            "react",
            "step",
            model=model_id,
            reply=Reply(None, "", "", 0.0, usage.get("input_tokens", 0), usage.get("output_tokens", 0)),
        )
        run.prompt_tokens += rec["prompt_tokens"]
        run.completion_tokens += rec["completion_tokens"]
        run.cost_usd += rec["cost_usd"]
        last = str(reply.content).strip()
        step = parse_step(last)
        if step.final is not None or not step.action:
            run.answer = last if step.final is None else step.final
            return run
        messages.append(AIMessage(last))
        run.tool_calls.append((step.action, step.action_input))
        observation = await asyncio.to_thread(run_tool, step.action, step.action_input, context)
        messages.append(HumanMessage(f"Observation: {observation[:OBSERVATION_CHARS]}"))
    run.answer = last
    return run
