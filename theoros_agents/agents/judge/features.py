"""Features of the classic judge: embedding similarities plus simple counts, from MiniLM and the text.

A reply is described by how close it is to the conversation and to the facts, how much of its
wording it takes from them, how long and how varied it is; an output of a pairwise comparison by
how close it is to the instruction, its length and variety. People rate a reply that picks up the
last turn and uses the facts, in a few fluent sentences, above a short, repetitive or generic one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from theoros_agents.knowledge.embeddings import Embedder

WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
SCORE_FEATURES = (
    "similarity_last_turn",
    "similarity_conversation",
    "similarity_facts",
    "log_words",
    "questions",
    "words_from_facts",
    "words_from_last_turn",
    "words_from_conversation",
    "distinct_words",
    "distinct_bigrams",
    "sentences",
)
PAIR_FEATURES = ("similarity_instruction", "log_characters", "words_from_instruction", "distinct_words", "log_lines")


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return WORD.findall(text.lower())


def last_turn(conversation: str) -> str:
    """The conversation's last non-empty line: the turn a reply answers."""
    lines = [line for line in conversation.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def share_in(tokens: Sequence[str], vocabulary: set[str]) -> float:
    """Share of `tokens` found in `vocabulary`; 0 for no tokens."""
    return sum(t in vocabulary for t in tokens) / len(tokens) if tokens else 0.0


def distinct(tokens: Sequence[str], n: int = 1) -> float:
    """Share of distinct n-grams among all n-grams (1 for none: nothing repeats)."""
    grams = list(zip(*(tokens[i:] for i in range(n)), strict=False))
    return len(set(grams)) / len(grams) if grams else 1.0


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
    return dot / norm if norm else 0.0


def score_features(
    conversation: str, reply: str, facts: str, embedder: Embedder, vectors: Sequence[Sequence[float]] | None = None
) -> list[float]:
    """Describe a reply to a conversation, in the order of `SCORE_FEATURES`.

    `vectors` are the embeddings of (reply, last turn, conversation, facts) when already computed.
    """
    turn = last_turn(conversation)
    reply_v, turn_v, conversation_v, facts_v = vectors or embedder.embed([reply, turn, conversation, facts])
    tokens = words(reply)
    return [
        _cosine(reply_v, turn_v),
        _cosine(reply_v, conversation_v),
        _cosine(reply_v, facts_v) if facts.strip() else 0.0,
        math.log1p(len(tokens)),
        float(min(reply.count("?"), 3)),
        share_in(tokens, set(words(facts))),
        share_in(tokens, set(words(turn))),
        share_in(tokens, set(words(conversation))),
        distinct(tokens),
        distinct(tokens, 2),
        float(min(len(SENTENCE_END.findall(reply)), 6)),
    ]


def output_features(
    instruction: str, output: str, instruction_v: Sequence[float], output_v: Sequence[float]
) -> list[float]:
    """Describe one output of a pair relative to its instruction, in the order of `PAIR_FEATURES`."""
    tokens = words(output)
    return [
        _cosine(output_v, instruction_v),
        math.log1p(len(output)),
        share_in(tokens, set(words(instruction))),
        distinct(tokens),
        math.log1p(output.count("\n")),
    ]


def pair_features(instruction: str, first: str, second: str, embedder: Embedder) -> list[float]:
    """The first output's features minus the second's: the model's sign then says which is better."""
    instruction_v, first_v, second_v = embedder.embed([instruction, first, second])
    one = output_features(instruction, first, instruction_v, first_v)
    two = output_features(instruction, second, instruction_v, second_v)
    return [a - b for a, b in zip(one, two, strict=True)]
