"""Choose score fusion's BM25 weight and Rocchio feedback on the tune split of the retriever sets.

Scores every setting of a small grid by recall@1, recall@5 and MRR on the files given (the tune split only: the
report split and the older dev sets are scored afterwards by `theoros eval retriever`, never here).

Usage (under the shared CPU lock, on the store described in README "Retriever"):
    THEOROS_HOME=.theoros-eval/retriever-dev python scripts/tune_retriever_fusion.py \
        datasets/retriever_blurbs_tune.jsonl
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from theoros_agents.context import resolve_context
from theoros_agents.evaluation import retriever
from theoros_agents.evaluation.metrics import mean_reciprocal_rank, recall_at_k
from theoros_agents.knowledge import plot_store

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0)
FEEDBACK = ((0, 0.0), (1, 0.3), (3, 0.3), (3, 0.6))


def score(items: list[dict], ranker: str) -> tuple[float, float, float]:
    """Recall@1, recall@5 and MRR of `ranker` over the items, with the module's current constants."""
    context = resolve_context()
    ranks = [retriever._rank(context, ranker, item) for item in items]
    return (recall_at_k(ranks, 1) or 0.0, recall_at_k(ranks, 5) or 0.0, mean_reciprocal_rank(ranks) or 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+", type=Path)
    args = parser.parse_args()
    items = [item for path in args.datasets for item in retriever.load_dataset(path)]
    for ranker in ("bm25", "vector", "hybrid", "normalized"):
        print(f"{len(items)} queries, {ranker}: R@1 %.3f R@5 %.3f MRR %.3f" % score(items, ranker))
    results = {}
    for weight, (docs, beta) in itertools.product(WEIGHTS, FEEDBACK):
        plot_store.FUSION_WEIGHT, plot_store.PRF_DOCS, plot_store.PRF_BETA = weight, docs, beta
        results[weight, docs, beta] = score(items, "prf" if docs else "score")
        print(
            f"weight {weight:.1f} feedback {docs} x {beta:.1f}: R@1 %.3f R@5 %.3f MRR %.3f"
            % results[weight, docs, beta]
        )
    best = max(results, key=lambda key: (results[key][2], results[key][1]))
    print(f"best by MRR: weight {best[0]}, feedback {best[1]} x {best[2]}")


if __name__ == "__main__":
    main()
