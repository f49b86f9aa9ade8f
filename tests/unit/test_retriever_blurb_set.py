"""The short-description retrieval set: its builder's text rules, and the shipped files rebuilt from the raw blurbs."""

import json
from pathlib import Path

from tests.script_loader import load_script
from theoros_agents.knowledge.documents import PlotDocument

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / "datasets"


build = load_script("build_retriever_blurb_set")
PLOT = PlotDocument(
    "wikiplots",
    "The Sea Wolf",
    1930,
    "Captain Wolf Larsen (Milton Sills) rules the schooner Ghost with an iron fist off San Francisco. "
    "Dr. Hale, a shipwrecked writer, is pulled aboard and pressed into service. The crew plots a mutiny. "
    "A storm comes.",
)


def test_the_opening_keeps_whole_sentences_without_cast_brackets():
    opening = build.lead(PLOT.text, limit=20)
    assert opening.startswith("Captain Wolf Larsen rules the schooner Ghost") and "Milton" not in opening
    assert opening.endswith("San Francisco.")  # the next sentence would pass 20 words
    assert build.sentences("He meets Dr. Hale. She leaves.") == ["He meets Dr. Hale.", "She leaves."]


def test_blurbs_that_name_the_film_or_copy_its_names_are_dropped():
    assert build.leaks("A captain of The Sea Wolf terrorises his crew.", PLOT)
    assert build.leaks("Captain Wolf Larsen of the Ghost abuses a writer.", PLOT)  # Wolf, Larsen, Ghost
    assert not build.leaks("A brutal sea captain torments a shipwrecked writer off San Francisco.", PLOT)
    assert not build.usable("A captain.", PLOT)  # too short to describe a film


def test_each_query_falls_in_one_split_and_generated_ones_exclude_their_own_plot():
    tune = [json.loads(line) for line in (DATASETS / "retriever_blurbs_tune.jsonl").read_text().splitlines()]
    report = [json.loads(line) for line in (DATASETS / "retriever_blurbs_report.jsonl").read_text().splitlines()]
    assert {r["split"] for r in tune} == {"tune"} and {r["split"] for r in report} == {"report"}
    assert not {r["query"] for r in tune} & {r["query"] for r in report}
    for row in tune + report:
        if row["kind"] == "blurb->lead":
            assert row["where"]["film_id"]["$ne"].startswith("wikiplots:")
        else:
            assert row["where"] == {"source": {"$ne": "theoros"}}


def test_the_shipped_files_are_rebuilt_from_the_raw_blurbs(tmp_path, data_dir):
    (tmp_path / "retriever_blurbs_raw.jsonl").write_bytes((DATASETS / "retriever_blurbs_raw.jsonl").read_bytes())
    build.write(tmp_path, build.real_pairs(data_dir), build.reuse(tmp_path / "retriever_blurbs_raw.jsonl", data_dir))
    for name in ("retriever_blurbs_tune.jsonl", "retriever_blurbs_report.jsonl", "retriever_blurb_docs.csv"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (DATASETS / name).read_text(encoding="utf-8"), name
