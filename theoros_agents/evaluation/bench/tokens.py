"""Tokens and cost per answered question: Theoros's small specialists against one model doing the whole job.

The same questions (the package's end-to-end set: facts, plots, find-a-film, multi-hop and compound requests,
each with the names its answer must hold) and the same model id on both sides. Theoros runs with its default
strategies, every model-using agent on that model; the baseline is `evaluation.react_baseline`, one ReAct
agent with a SPARQL tool and a plot-search tool. A question is answered when the answer holds every group
of gold names (`end_to_end.contains`). Tokens are prompt plus completion tokens as the model reports them.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from theoros_agents.evaluation.bench.config import BenchConfig
from theoros_agents.evaluation.bench.instant import MODEL_SETTINGS
from theoros_agents.evaluation.bench.report import Figure, Target
from theoros_agents.evaluation.bench.timing import median, ratio

SECTION = "Tokens per answered question"
KINDS = ("fact", "multihop", "plot", "search", "compound")
PER_KIND = 4
DATASET = Path(__file__).resolve().parents[1] / "data" / "end_to_end.jsonl"


@dataclass(frozen=True)
class Tally:
    """What one system spent on the questions and how many it answered."""

    answered: int
    asked: int
    tokens: int
    cost_usd: float
    latency_ms: float

    @property
    def per_answered(self) -> float | None:
        """Tokens per answered question; None when it answered none."""
        return self.tokens / self.answered if self.answered else None


def pick_questions(
    items: Sequence[dict[str, Any]], kinds: Sequence[str] = KINDS, per_kind: int = PER_KIND
) -> list[dict[str, Any]]:
    """The first `per_kind` items of each kind that has gold names, in the order of `kinds`."""
    chosen = []
    for kind in kinds:
        chosen += [item for item in items if item["kind"] == kind and item["must_include"]][:per_kind]
    return chosen


def holds_gold(answer: str, groups: Sequence[Sequence[str]]) -> bool:
    """Whether the answer contains a name of every gold group (ignoring case, accents and punctuation)."""
    from theoros_agents.evaluation.end_to_end import contains

    return bool(groups) and all(any(contains(answer, name) for name in group) for group in groups)


def token_ratio(ours: Tally, baseline: Tally) -> tuple[float | None, str]:
    """Theoros's tokens per answered question over the baseline's, with a note when it is only a bound.

    A baseline that answered nothing has no finite cost per answer: the ratio is then computed as if it had
    answered one question, which overstates it (an upper bound).
    """
    if ours.per_answered is None:
        return None, "Theoros answered none of the questions"
    if baseline.answered == 0:
        bound = ratio(ours.per_answered, float(baseline.tokens))
        return bound, f"upper bound: the baseline answered 0 of {baseline.asked} (counted as 1)"
    return ratio(ours.per_answered, baseline.per_answered or 0.0), ""


async def _theoros(items: list[dict[str, Any]], model_id: str, settings: dict[str, Any]) -> Tally:
    from theoros_agents.agents.registry import all_agents
    from theoros_agents.api import Theoros
    from theoros_agents.context import resolve_context

    agents = ["supervisor", *(spec.name for spec in all_agents() if spec.default_model)]
    theoros = Theoros(resolve_context({f"{agent}_model": model_id for agent in agents} | settings))
    answered = tokens = 0
    cost, latencies = 0.0, []
    for item in items:
        started = time.perf_counter()
        answer = await theoros.aask(item["question"])
        latencies.append((time.perf_counter() - started) * 1000)
        tokens += sum(r["prompt_tokens"] + r["completion_tokens"] for r in answer.records)
        cost += sum(r["cost_usd"] for r in answer.records)
        answered += holds_gold(answer.answer, item["must_include"])
    return Tally(answered, len(items), tokens, cost, median(latencies))


async def _baseline(items: list[dict[str, Any]], model_id: str) -> Tally:
    from theoros_agents.context import resolve_context
    from theoros_agents.evaluation import react_baseline

    context = resolve_context()
    answered = tokens = 0
    cost, latencies = 0.0, []
    for item in items:
        started = time.perf_counter()
        run = await react_baseline.answer(item["question"], model_id, context)
        latencies.append((time.perf_counter() - started) * 1000)
        tokens += run.tokens
        cost += run.cost_usd
        answered += holds_gold(run.answer, item["must_include"])
        print(
            f"   react: {item['kind']}: {run.steps} steps, {run.tokens} tokens, tools {run.tool_calls[:2]}",
            file=sys.stderr,
            flush=True,
        )
    return Tally(answered, len(items), tokens, cost, median(latencies))


def _row(name: str, tally: Tally) -> Figure:
    note = (
        f"answered {tally.answered}/{tally.asked}; {tally.tokens:,} tokens in all; "
        f"${tally.cost_usd:.4f}; p50 {tally.latency_ms:,.0f} ms a question"
    )
    return Figure(SECTION, name, tally.per_answered, "tokens", note=note, extra=tally.__dict__)


def run(config: BenchConfig) -> list[Figure]:
    """Both systems on the same questions and model; tokens per answered question and their ratio."""
    from theoros_agents.evaluation.end_to_end import load_dataset

    model_id = config.model
    items = pick_questions(load_dataset(DATASET), per_kind=1 if config.quick else PER_KIND)
    ours = asyncio.run(_theoros(items, model_id, {}))
    consulted = asyncio.run(_theoros(items, model_id, dict(MODEL_SETTINGS)))
    baseline = asyncio.run(_baseline(items, model_id))
    value, note = token_ratio(ours, baseline)
    consulted_value, consulted_note = token_ratio(consulted, baseline)
    cost = "local model: $0" if ours.cost_usd == baseline.cost_usd == 0 else ""
    return [
        _row(f"Theoros, default strategies, every agent on {model_id}", ours),
        _row("Theoros, the model asked at every step (routing model always, intent strategy)", consulted),
        _row(f"one {model_id} ReAct agent (tools: sparql, search_plots)", baseline),
        Figure(
            SECTION,
            f"Theoros (default) / ReAct baseline, {len(items)} questions ({', '.join(KINDS)})",
            value,
            "x",
            target=Target(0.3),
            note="; ".join(n for n in (note, cost) if n),
        ),
        Figure(SECTION, "Theoros (model at every step) / ReAct baseline", consulted_value, "x", note=consulted_note),
    ]
