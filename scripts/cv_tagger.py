"""Cross-validate the tagger's training path over all of `imdb_movies.csv`, in 5 folds.

Each fold is trained with `theoros train tagger --labels imdb` on the other four (so with the shipped extra data,
thresholds and blend tuned on those four only) and scored with `theoros eval tagger`; the macro-F1 is pooled over
the five held-out folds. Slow: one training per fold (about 75 s on 2 cores once the extra data's vectors are
cached). Each film carries its record (director, cast, numbers) unless `--no-record` is given. Extra arguments go
to `theoros train` (e.g. `--no-extra`, or `--extra FILE` to try more data).

Usage:
    THEOROS_HOME=.theoros-eval python scripts/cv_tagger.py --data ../shared/data --work /tmp/tagger-cv [--no-record] \
        [-- --no-extra]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

from theoros_agents.evaluation.tagger import macro_f1

FOLDS = 5
SEED = 11
THEOROS = [sys.executable, "-m", "theoros_agents.cli"]


def films(data: Path, with_record: bool = True) -> list[dict]:
    """The films of `imdb_movies.csv` as {"text", "labels", "record"}, sorted by text and shuffled (seeded)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build_tagger_sets import item, read  # noqa: PLC0415 - a sibling script

    rows = [item(r, with_record) for r in read(data / "imdb_movies.csv")]
    rows = sorted((row for row in rows if row["text"]), key=lambda row: row["text"])
    random.Random(SEED).shuffle(rows)
    return rows


def folds(data: Path, work: Path, with_record: bool) -> None:
    """Write fold k's training and test JSONL: every fifth film from k held out."""
    rows = films(data, with_record)
    for k in range(FOLDS):
        held = rows[k::FOLDS]
        train = [row for i, row in enumerate(rows) if i % FOLDS != k]
        for name, part in (("train", train), ("test", held)):
            (work / f"f{k}_{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")


def pooled_f1(runs: list[Path], system: str) -> float:
    """Macro-F1 over every held-out film of every fold (the harness's own `macro_f1`, on the pooled outcomes)."""
    scores = []
    for run in runs:
        outcomes = next(s for s in json.loads(run.read_text())["systems"] if s["system"]["name"] == system)
        scores += [outcome["scores"] for outcome in outcomes["outcomes"].values()]
    return macro_f1(scores) or 0.0


def main() -> None:
    """Build the folds, train and score each, print the pooled macro-F1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--work", type=Path, required=True, help="a folder for the folds and runs")
    parser.add_argument("--no-record", action="store_true", help="leave the films' records out (text alone)")
    parser.add_argument("train_args", nargs="*", help="more arguments for `theoros train tagger`")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    folds(args.data, args.work, not args.no_record)
    runs = []
    for k in range(FOLDS):
        name, run = f"cv_{k}", args.work / f"cv_{k}.json"
        train = ["train", "tagger", "--dataset", str(args.work / f"f{k}_train.jsonl"), "--labels", "imdb"]
        subprocess.run([*THEOROS, *train, "--name", name, *args.train_args], check=True)
        score = ["eval", "tagger", "--dataset", str(args.work / f"f{k}_test.jsonl"), "--out", str(run)]
        subprocess.run(
            [*THEOROS, *score, "--strategies", "ensemble,minilm", "--set", f"tagger_classifier={name}"], check=True
        )
        runs.append(run)
    for system in ("ensemble", "minilm"):
        print(f"{system}: pooled macro-F1 {pooled_f1(runs, system):.3f} over {FOLDS} folds")


if __name__ == "__main__":
    main()
