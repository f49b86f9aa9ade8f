"""The benchmark's pure helpers: percentiles and ratios, the report, the corpus synthesiser, the token tally."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import numpy as np
import pytest

from theoros_agents.evaluation.bench import corpus
from theoros_agents.evaluation.bench.__main__ import _chosen
from theoros_agents.evaluation.bench.concurrency import burst
from theoros_agents.evaluation.bench.instant import FACT_QUESTIONS
from theoros_agents.evaluation.bench.overhead import merge
from theoros_agents.evaluation.bench.report import Figure, Target, format_target, format_value, save, table
from theoros_agents.evaluation.bench.timing import Summary, median, percentile, ratio, rotations, run_measured
from theoros_agents.evaluation.bench.tokens import Tally, holds_gold, pick_questions, token_ratio
from theoros_agents.state import RESET


def test_percentile_interpolates_between_ranks_like_numpy():
    values = [4.0, 1.0, 3.0, 2.0]
    assert percentile(values, 50) == median(values) == 2.5
    assert percentile(values, 95) == pytest.approx(float(np.percentile(values, 95)))
    assert percentile(values, 0) == 1.0 and percentile(values, 100) == 4.0
    assert percentile([7.0], 95) == 7.0


def test_percentile_refuses_no_values_and_bad_q():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1.0], 101)


def test_ratio_needs_a_positive_denominator():
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(1.0, 0.0) is None and ratio(1.0, -1.0) is None


def test_summary_of_timings():
    summary = Summary.of([float(x) for x in range(1, 101)])
    assert (summary.p50, summary.n) == (50.5, 100)
    assert summary.p95 == pytest.approx(95.05)


def test_rotations_put_each_item_first_in_turn():
    assert rotations(["a", "b", "c"], 4) == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"], ["a", "b", "c"]]
    assert rotations([], 3) == []


def test_run_measured_reports_exit_code_output_and_the_commands_own_peak_memory():
    done = run_measured([sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"])
    assert done.returncode == 3
    assert done.stdout.strip() == "out" and done.stderr.strip() == "err"
    assert done.wall_s > 0
    grown = "x = bytearray(300 * 2**20); x[::4096] = bytes(len(x[::4096]))"
    small, large = run_measured([sys.executable, "-c", "pass"]), run_measured([sys.executable, "-c", grown])
    # The command's own peak: not this test process's size, and the 300 MiB it touched.
    assert small.max_rss_mb < 100 and large.max_rss_mb > small.max_rss_mb + 250


def test_run_measured_stops_a_command_that_runs_too_long():
    with pytest.raises(subprocess.TimeoutExpired):
        run_measured([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)


def test_targets_and_verdicts():
    assert Target(5).met(5.0) is True and Target(5).met(5.1) is False
    assert Target(10, at_most=False).met(11) is True and Target(5).met(None) is None
    figures = [
        Figure("A", "fast", 4.0, "ms", 9.0, Target(5)),
        Figure("A", "slow", 1.8, "x", target=Target(1.5), note="a | b"),
        Figure("B", "plain", 12.0, "docs/s"),
    ]
    rendered = table(figures).splitlines()
    assert rendered[2] == "| A | fast | 4.00 ms | 9.00 ms | ≤ 5 ms | met |  |"
    assert rendered[3] == "|  | slow | 1.80× |  | ≤ 1.5× | MISSED | a / b |"
    assert rendered[4].startswith("| B | plain | 12.0 docs/s |")


def test_values_and_targets_are_formatted_with_their_units():
    assert format_value(None, "ms") == "—"
    assert format_value(1234.4, "ms") == "1,234 ms" and format_value(12.34, "ms") == "12.3 ms"
    assert format_value(0.26, "%") == "0.3%" and format_value(1.234, "x") == "1.23×"
    assert format_value(0.0034, "x") == "0.0034×" and format_value(0.0, "x") == "0.00×"
    assert format_value(3.0, "count") == "3"
    assert format_target(Target(150), "ms") == "≤ 150 ms" and format_target(Target(0), "count") == "≤ 0"


def test_save_writes_figures_with_their_verdicts(tmp_path):
    out = tmp_path / "deep" / "bench.json"
    save(out, [Figure("A", "fast", 6.0, "ms", target=Target(5))], {"rounds": 7})
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["rounds"] == 7
    assert data["figures"][0]["met"] is False and data["figures"][0]["target"] == {"limit": 5, "at_most": True}


def test_unknown_sections_are_refused():
    assert _chosen("scaling,api", "") == ["api", "scaling"]
    assert "tokens" not in _chosen("", "tokens")
    with pytest.raises(SystemExit, match="unknown section"):
        _chosen("warp", "")


def _tiny_corpus(count: int = 4, dim: int = 8):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(2, count, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=2, keepdims=True)
    ids = [f"src:film-{i}:2000#0" for i in range(count)]
    texts = [f"Film {i} (2000): First of {i}. Second of {i}. Third of {i}. Fourth of {i}." for i in range(count)]
    metas = [{"title": f"Film {i}", "year": 2000, "qid": f"Q{i}", "source": "src", "film_id": f"src:film-{i}:2000"}
             for i in range(count)]  # fmt: skip
    return ids, texts, metas, vectors[0], vectors[1]


def test_splice_joins_halves_under_a_new_title():
    text, weight = corpus.splice("Alien (1979): A one. A two. A three. A four.", "Jaws (1975): B one. B two.", "7")
    assert text == "Alien 7 (1979): A one. A two. B two."
    assert weight == pytest.approx(4 / 6)
    assert corpus.splice("No heading here. Two.", "Other. Text.", "3")[0] == "3: No heading here. Text."


def test_mix_is_a_unit_vector_near_the_weighted_mean():
    rng = np.random.default_rng(1)
    a, b = np.eye(4, dtype=np.float32)[0], np.eye(4, dtype=np.float32)[1]
    mixed = corpus.mix(a, b, 0.75, rng)
    assert np.linalg.norm(mixed) == pytest.approx(1.0, abs=1e-5)
    assert mixed[0] > mixed[1] > 0


def test_a_corpus_no_larger_than_the_real_one_is_a_sample_of_it():
    ids, texts, metas, vectors, bodies = _tiny_corpus()
    sample = list(corpus.synthesise(ids, texts, metas, vectors, bodies, 3))
    assert len(sample) == 3 and {p.id for p in sample} <= set(ids)
    for p in sample:
        assert np.array_equal(p.vector, vectors[ids.index(p.id)]) and p.text == texts[ids.index(p.id)]
        assert np.array_equal(p.body_vector, bodies[ids.index(p.id)])
    assert [p.id for p in corpus.synthesise(ids, texts, metas, vectors, bodies, 3)] == [p.id for p in sample]


def test_a_larger_corpus_adds_distinct_synthetic_passages():
    ids, texts, metas, vectors, bodies = _tiny_corpus()
    passages = list(corpus.synthesise(ids, texts, metas, vectors, bodies, 10, seed=5))
    assert len({p.id for p in passages}) == 10
    synthetic = [p for p in passages if p.id.startswith("synthetic:")]
    assert len(synthetic) == 6
    for p in synthetic:
        assert p.metadata["source"] == "synthetic" and p.metadata["qid"] == ""
        assert p.metadata["film_id"] == p.id.removesuffix("#0")
        assert p.text.startswith(p.metadata["title"] + " (2000): ")
        assert np.linalg.norm(p.vector) == pytest.approx(1.0, abs=1e-5)
        assert np.linalg.norm(p.body_vector) == pytest.approx(1.0, abs=1e-5)
        assert not np.allclose(p.vector, p.body_vector)
    assert metas[0]["source"] == "src"  # the real metadata is copied, never changed
    again = list(corpus.synthesise(ids, texts, metas, vectors, bodies, 10, seed=5))
    assert [p.text for p in again] == [p.text for p in passages]


def test_a_corpus_needs_two_real_passages_with_vectors():
    ids, texts, metas, vectors, bodies = _tiny_corpus(2)
    with pytest.raises(ValueError, match="two real passages"):
        list(corpus.synthesise(ids[:1], texts[:1], metas[:1], vectors[:1], bodies[:1], 5))
    with pytest.raises(ValueError):
        list(corpus.synthesise(ids, texts, metas, vectors[:1], bodies, 5))
    with pytest.raises(ValueError, match="body vector"):
        list(corpus.synthesise(ids, texts, metas, vectors, bodies[:1], 5))


def test_merge_applies_the_state_reducers():
    state = {"records": [1], "answer": "old"}
    merge(state, {"records": [2], "answer": "new"})
    assert state == {"records": [1, 2], "answer": "new"}
    merge(state, {"records": [RESET, 3], "findings": [RESET]})
    assert state["records"] == [3] and state["findings"] == []


def test_a_burst_counts_failures_and_wrong_answers():
    every_name = " ".join(name for _, name in FACT_QUESTIONS)

    async def send(question: str) -> str:
        if "Titanic" in question:
            raise RuntimeError("down")
        return "I do not know." if "Casablanca" in question else every_name

    outcome = asyncio.run(burst(send, 20))
    assert len(outcome.latencies_ms) == 20
    assert outcome.errors == 4 and outcome.first_error == "RuntimeError: down"


def test_questions_are_picked_by_kind_and_need_gold():
    items = [
        {"kind": "fact", "must_include": [["A"]], "question": "1"},
        {"kind": "chit_chat", "must_include": [], "question": "2"},
        {"kind": "plot", "must_include": [["B"]], "question": "3"},
        {"kind": "fact", "must_include": [["C"]], "question": "4"},
        {"kind": "fact", "must_include": [], "question": "5"},
    ]
    assert [i["question"] for i in pick_questions(items, ("fact", "plot", "chit_chat"), 2)] == ["1", "4", "3"]


def test_an_answer_holds_gold_when_every_group_is_named():
    groups = [["Ridley Scott"], ["Nostromo", "crew"]]
    assert holds_gold("Alien was directed by Ridley Scott; the Nostromo's crew...", groups)
    assert not holds_gold("Alien was directed by Ridley Scott.", groups)
    assert not holds_gold("anything", [])


def test_the_token_ratio_is_a_bound_when_the_baseline_answered_nothing():
    ours = Tally(answered=10, asked=20, tokens=500, cost_usd=0.0, latency_ms=1.0)
    assert token_ratio(ours, Tally(5, 20, 10_000, 0.0, 1.0)) == (pytest.approx(0.025), "")
    bound, note = token_ratio(ours, Tally(0, 20, 10_000, 0.0, 1.0))
    assert bound == pytest.approx(0.005) and "upper bound" in note
    assert token_ratio(Tally(0, 20, 0, 0.0, 1.0), ours)[0] is None
