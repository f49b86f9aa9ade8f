"""The judge's strategies other than 'reason': how a score or a pairwise preference is computed.

- classic: a trained linear model over embedding and count features; no chat model.
- logprob: the model's next-token probabilities over "1".."5" (or "1"/"2"), weighted (G-Eval).
- calibrated: the logprob score mapped onto people's scale by an isotonic calibration.
- checklist: rubric questions, each answered with a probability of "Yes"; their mean is the score.
- hybrid: the classic features plus the logprob score (pairs: its preference over both orders), trained.

Pairwise, `classic`, `hybrid` and `checklist` do not depend on the order the outputs are shown in, so
the graph asks them once; `logprob` and `calibrated` are asked in both orders and averaged.

A score strategy returns a `Rating`: the continuous 1-5 value (what correlations use) and the
whole score it rounds to (what the supervisor's gate and exact agreement use).
"""

from __future__ import annotations

import asyncio
import functools
import math
from dataclasses import dataclass, field
from typing import Any

from theoros_agents.agents.judge.calibration import Calibration, load_calibration
from theoros_agents.agents.judge.choices import Probabilities, choice_probabilities, expected_value
from theoros_agents.agents.judge.classic import DATA, LinearModel, load_models, probability
from theoros_agents.agents.judge.features import pair_features, score_features
from theoros_agents.aio import warm_call
from theoros_agents.errors import ConfigError
from theoros_agents.models import Reply, aload_chat_model
from theoros_agents.prompts import amessages, arender, render

STRATEGIES = ("classic", "hybrid", "logprob", "calibrated", "checklist", "reason")
MODEL_STRATEGIES = frozenset({"hybrid", "logprob", "calibrated", "checklist", "reason"})
DIGITS = ("1", "2", "3", "4", "5")
YES_NO = ("Yes", "No")
CALIBRATION_FILE = DATA / "calibration_{rubric}.json"


@dataclass
class Rating:
    """A strategy's grade: the continuous value, the whole score, why, and what the calls cost."""

    value: float
    reason: str
    calls: list[Reply[Any]] = field(default_factory=list)

    @property
    def score(self) -> int:
        """The whole score 1-5 (halves round up)."""
        return min(5, max(1, math.floor(self.value + 0.5)))


class NoVerdict(Exception):
    """A model call gave nothing usable; carries the failed call so its cost is still recorded."""

    def __init__(self, reply: Reply[Any]):
        super().__init__(reply.error)
        self.reply = reply


def combined(calls: list[Reply[Any]]) -> Reply[Any]:
    """One record's worth of several calls: summed latency and tokens, the first error."""
    error = next((c.error for c in calls if c.error), "")
    return Reply(
        None,
        error,
        "",
        sum(c.latency_ms for c in calls),
        sum(c.prompt_tokens for c in calls),
        sum(c.completion_tokens for c in calls),
    )


def _shown(probabilities: Probabilities) -> str:
    return ", ".join(f"{k}: {v:.2f}" for k, v in probabilities.items())


async def _probabilities(
    context: Any, messages: list[dict[str, str]], choices: tuple[str, ...]
) -> tuple[Probabilities, Reply[Any]]:
    model = await aload_chat_model(context.model_for("judge"), context.temperature, context.home)
    found, reply = await choice_probabilities(model, messages, choices, context.model_timeout)
    if found is None:
        raise NoVerdict(reply)
    return found, reply


async def logprob_rating(context: Any, prompt: str, rubric: str, variables: dict[str, str]) -> Rating:
    """The probability-weighted score of "1".."5" as the reply's first token."""
    messages = await amessages(prompt, (f"{rubric}_score_system", f"{rubric}_user"), **variables)
    found, reply = await _probabilities(context, messages, DIGITS)
    value = expected_value(found)
    return Rating(value, f"Probability-weighted score {value:.2f} (P of {_shown(found)}).", [reply])


@functools.cache
def calibration_for(rubric: str) -> Calibration | None:
    """The shipped calibration of a rubric's logprob score; None when the rubric has none."""
    path = CALIBRATION_FILE.with_name(CALIBRATION_FILE.name.format(rubric=rubric))
    return load_calibration(path) if path.is_file() else None


async def calibrated_rating(context: Any, prompt: str, rubric: str, variables: dict[str, str]) -> Rating:
    """The logprob score mapped onto people's scale (unchanged for a rubric without a calibration)."""
    raw = await logprob_rating(context, prompt, rubric, variables)
    calibration = await warm_call(("judge", "calibration", rubric), calibration_for, rubric)
    if calibration is None:
        return Rating(raw.value, f"{raw.reason} No calibration for {rubric!r}: used as it is.", raw.calls)
    value = calibration.apply(raw.value)
    return Rating(value, f"Calibrated score {value:.2f} from {raw.reason}", raw.calls)


async def checklist_questions(prompt: str, section: str) -> list[str]:
    """The yes/no questions of a checklist section, one per line (the prompt file read off the loop once)."""
    questions = [line.strip() for line in (await arender(prompt, section)).splitlines() if line.strip()]
    if not questions:
        raise ConfigError(f"judge prompt section {section!r} has no questions")
    return questions


async def _yes_share(context: Any, prompt: str, user: str, questions: list[str]) -> tuple[list[float], list[Reply]]:
    system = render(prompt, "checklist_system")
    shares, calls = [], []
    for question in questions:
        # The question comes last so that llama.cpp reuses the evaluated text across questions.
        messages = [{"role": "system", "content": system}, {"role": "user", "content": f"{user}\n{question}"}]
        found, reply = await _probabilities(context, messages, YES_NO)
        shares.append(found["Yes"])
        calls.append(reply)
    return shares, calls


async def checklist_rating(context: Any, prompt: str, rubric: str, variables: dict[str, str]) -> Rating:
    """1 plus 4 times the mean probability of "Yes" over the rubric's checklist."""
    questions = await checklist_questions(prompt, f"{rubric}_checklist")
    shares, calls = await _yes_share(context, prompt, render(prompt, f"{rubric}_user", **variables), questions)
    value = 1 + 4 * sum(shares) / len(shares)
    answers = "; ".join(f"{q} {p:.2f}" for q, p in zip(questions, shares, strict=True))
    return Rating(value, f"Checklist score {value:.2f} (P of Yes: {answers}).", calls)


def preferred(p: float) -> int | None:
    """The output a probability that output 1 is better points to; exactly one half is a tie (None)."""
    return 1 if p > 0.5 else 2 if p < 0.5 else None


async def _shipped_models() -> dict[str, Any]:
    """The shipped classic models: read on a worker thread the first time, then from memory."""
    return await warm_call(("judge", "classic"), load_models)


def _embedder(models: dict[str, Any]) -> Any:
    from theoros_agents.knowledge.embeddings import load_embedder

    return load_embedder(models["embedding_model"])


def _classic_features(variables: dict[str, str]) -> list[float]:
    models = load_models()
    return score_features(variables["question"], variables["answer"], variables.get("facts", ""), _embedder(models))


def _clipped(value: float) -> float:
    return min(5.0, max(1.0, value))


async def classic_rating(context: Any, prompt: str, rubric: str, variables: dict[str, str]) -> Rating:
    """The trained regression's score; a rubric it was not trained for falls back to `logprob`."""
    if rubric != "answer":
        return await logprob_rating(context, prompt, rubric, variables)
    model: LinearModel = (await _shipped_models())["scores"]
    value = _clipped(model.decision(await asyncio.to_thread(_classic_features, variables)))
    return Rating(value, f"Classic judge score {value:.2f} (embedding similarities and text counts).")


async def hybrid_rating(context: Any, prompt: str, rubric: str, variables: dict[str, str]) -> Rating:
    """The trained regression over the classic features and the logprob score."""
    logprob = await logprob_rating(context, prompt, rubric, variables)
    models = await _shipped_models()
    if rubric != "answer" or "hybrid_scores" not in models:
        return logprob
    values = [*await asyncio.to_thread(_classic_features, variables), logprob.value]
    value = _clipped(models["hybrid_scores"].decision(values))
    return Rating(value, f"Hybrid score {value:.2f}: classic features and {logprob.reason}", logprob.calls)


RATERS = {
    "classic": classic_rating,
    "hybrid": hybrid_rating,
    "logprob": logprob_rating,
    "calibrated": calibrated_rating,
    "checklist": checklist_rating,
}


def _pair_features(variables: dict[str, str]) -> list[float]:
    """The classic pairwise features; may load the embedding model, so callers on the event loop use a thread."""
    embedder = _embedder(load_models())
    return pair_features(variables["instruction"], variables["output_1"], variables["output_2"], embedder)


def classic_preference(variables: dict[str, str]) -> float:
    """Probability that output 1 is better, from the trained pairwise model."""
    return probability(load_models()["pairs"].decision(_pair_features(variables)))


async def logprob_preference(context: Any, prompt: str, variables: dict[str, str]) -> tuple[float, Reply[Any]]:
    """Probability that the output shown first is better: P("1") against P("2") as the first token."""
    messages = await amessages(prompt, ("pairwise_choice_system", "pairwise_user"), **variables)
    found, reply = await _probabilities(context, messages, ("1", "2"))
    return found["1"], reply


async def checklist_preference(context: Any, prompt: str, variables: dict[str, str]) -> tuple[float, list[Reply]]:
    """Probability-like preference for output 1 from each output's checklist: its share of the two means."""
    questions = await checklist_questions(prompt, "pairwise_checklist")
    means, calls = [], []
    for output in (variables["output_1"], variables["output_2"]):
        user = render(prompt, "pairwise_one_user", instruction=variables["instruction"], output_1=output)
        shares, replies = await _yes_share(context, prompt, user, questions)
        means.append(sum(shares) / len(shares))
        calls.extend(replies)
    total = means[0] + means[1]
    return (means[0] / total if total > 0 else 0.5), calls


async def hybrid_preference(context: Any, prompt: str, variables: dict[str, str]) -> tuple[float, list[Reply]]:
    """The trained pairwise model over the classic features and the logprob preference of both orders."""
    models = await _shipped_models()
    if "hybrid_pairs" not in models:
        return await asyncio.to_thread(classic_preference, variables), []
    given, first = await logprob_preference(context, prompt, variables)
    swapped = variables | {"output_1": variables["output_2"], "output_2": variables["output_1"]}
    other, second = await logprob_preference(context, prompt, swapped)
    # The model was trained on the mean over both orders, centred at 0: swapping the outputs negates it.
    preference = (given + 1 - other) / 2 - 0.5
    differences = await asyncio.to_thread(_pair_features, variables)
    return probability(models["hybrid_pairs"].decision([*differences, preference])), [first, second]
