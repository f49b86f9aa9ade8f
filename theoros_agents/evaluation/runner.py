"""`theoros eval`: score agents (or everything) into run files, then compare, report and recommend.

- `theoros eval <agent|end_to_end|all> [--models a,b] [--strategies ...] [--dataset FILE] [--limit N]
  [--concurrency K] [--out DIR] [--resume] [--executor ray]`
- `theoros eval compare RUN_A RUN_B`, `theoros eval report DIR`, `theoros eval recommend DIR [--tolerance 0.02]`
- `theoros eval router --dataset FILE`: the supervisor's intent classifier alone.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from theoros_agents.agents.registry import all_agents
from theoros_agents.context import resolve_context
from theoros_agents.errors import ConfigError
from theoros_agents.evaluation.summary import DEFAULT_PRICE_PER_HOUR, DEFAULT_TOLERANCE
from theoros_agents.evaluation.tasks import END_TO_END, Request, check_model_ids, split_list

ALL, ROUTER = "all", "router"
EXIT_FAILED, EXIT_INTERRUPTED = 3, 130


def _run_arguments(parser: argparse.ArgumentParser, single: bool) -> None:
    if single:
        parser.add_argument("--dataset", help="JSONL task file (default: the built-in dev set)")
        parser.add_argument(
            "--strategies", default="", help="strategies to compare, e.g. rules,hybrid,intent (default: the usual set)"
        )
        parser.add_argument("--rankers", default="", help=argparse.SUPPRESS)
    parser.add_argument("--models", default="", help="comma-separated model ids to compare (default: configured)")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N items")
    parser.add_argument("--concurrency", type=int, default=1, help="items scored at once per system (default 1)")
    parser.add_argument("--out", help="folder of run files (default <home>/runs), or a .json file for one agent")
    parser.add_argument("--resume", action="store_true", help="continue the interrupted run in --out")
    parser.add_argument("--executor", choices=("process", "ray"), default="process", help="where items run")
    parser.add_argument("--ray-address", help="Ray cluster to use with --executor ray (default: a local instance)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one item may take (default 300)")
    _price_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the leaderboard as JSON")


def _price_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--price-per-hour",
        type=float,
        default=None,
        help=f"USD per hour of this machine, for local models' cost (default ${DEFAULT_PRICE_PER_HOUR:.2f}, a "
        "2-core cloud VM, or $THEOROS_EVAL_PRICE_PER_HOUR)",
    )
    parser.add_argument(
        "--tolerance", type=float, default=DEFAULT_TOLERANCE, help="how far below the best the cheapest may be"
    )


def add_eval_arguments(
    parser: argparse.ArgumentParser, common: Callable[[argparse.ArgumentParser], None] | None = None
) -> None:
    """Declare `theoros eval`'s subcommands; `common` adds the --home/--model/--set options (the CLI's own)."""
    if common is None:
        from theoros_agents.cli import _common

        common = _common
    sub = parser.add_subparsers(dest="target", required=True, metavar="TARGET")
    for spec in all_agents():
        if spec.evaluate:
            one = sub.add_parser(spec.name, help=f"score the {spec.name}", description=f"Score the {spec.name}.")
            _run_arguments(one, single=True)
            common(one)
    whole = sub.add_parser(END_TO_END, help="score the supervisor on a mixed set", description="Score end to end.")
    _run_arguments(whole, single=True)
    common(whole)
    every = sub.add_parser(ALL, help="score every agent and end to end, then report", description="The leaderboard.")
    _run_arguments(every, single=False)
    common(every)
    router = sub.add_parser(ROUTER, help="score the intent classifier", description="Score the router.")
    router.add_argument("--dataset", required=True, help='JSONL of {"text", "intent"}')
    router.add_argument("--models", default="", help="routing models consulted below the threshold")
    router.add_argument("--limit", type=int, default=0, help="score only the first N items")
    router.add_argument("--json", action="store_true", help="print the results as JSON")
    common(router)
    compare = sub.add_parser("compare", help="compare two runs", description="Compare two systems on common items.")
    compare.add_argument("run_a", help="run file, optionally FILE#SYSTEM (default: its best system)")
    compare.add_argument("run_b", help="run file, optionally FILE#SYSTEM")
    compare.add_argument("--json", action="store_true", help="print as JSON")
    report = sub.add_parser("report", help="Markdown report and charts of a folder of runs", description="Report.")
    report.add_argument("folder", help="folder of run files")
    report.add_argument("--output", help="Markdown file (default FOLDER/report.md)")
    _price_arguments(report)
    recommend = sub.add_parser("recommend", help="write a theoros.toml with the winners", description="Recommend.")
    recommend.add_argument("folder", help="folder of run files")
    recommend.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, help="how far below the best")
    recommend.add_argument("--output", help="toml file to write (default FOLDER/theoros.toml)")
    recommend.add_argument("--force", action="store_true", help="overwrite a toml file recommend did not write")


def run_eval(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    """Dispatch `theoros eval TARGET`."""
    if args.target == "compare":
        return _compare(args)
    if args.target == "report":
        return _report(Path(args.folder), args.output, args.price_per_hour, args.tolerance)
    if args.target == "recommend":
        return _recommend(args)
    if args.target == ROUTER:
        return run_router_eval(args, settings)
    return _evaluate(args, settings)


def _evaluate(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    from theoros_agents.evaluation.harness import Options, evaluate
    from theoros_agents.evaluation.report import terminal
    from theoros_agents.evaluation.summary import summarize
    from theoros_agents.evaluation.tasks import get_task, tasks

    dataset = getattr(args, "dataset", None)
    request = Request(
        models=split_list(args.models),
        strategies=split_list(getattr(args, "strategies", "") or getattr(args, "rankers", "")),
        dataset=Path(dataset) if dataset else None,
        limit=args.limit,
        settings=settings,
    )
    check_model_ids(request.models)
    if args.concurrency < 1:
        raise ConfigError(f"--concurrency must be at least 1, got {args.concurrency}")
    options = Options(args.out, args.resume, args.concurrency, args.executor, args.ray_address, args.timeout,
                      args.price_per_hour, args.tolerance)  # fmt: skip
    names = list(tasks()) if args.target == ALL else [args.target]
    if args.target == ALL:
        _check_strategies(request.strategies, [get_task(name) for name in names])
    reports, failed = {}, False
    for name in names:
        task = get_task(name)
        run, interrupted = evaluate(task, _for_task(request, task, args.target == ALL), options)
        summary = summarize(run, task, tolerance=args.tolerance, price=args.price_per_hour)
        failed |= any(row["status"] == "failed" for row in summary["rows"])
        results = {row["system"]: row for row in summary["rows"]}
        reports[name] = {**{k: v for k, v in summary.items() if k not in ("rows",)}, "results": results,
                         "run_file": str(run.path), **task.describe(request, results)}  # fmt: skip
        if not args.json:
            print(terminal(summary) + f"\nrun saved to {run.path}\n")
        if interrupted:
            print(f"interrupted: finished items are kept in {run.path}; continue with --resume", file=sys.stderr)
            return EXIT_INTERRUPTED
    if args.json:
        print(json.dumps(reports if args.target == ALL else reports[names[0]], indent=2, allow_nan=False))
    if args.target == ALL:
        folder = Path(next(iter(reports.values()))["run_file"]).parent
        _report(folder, None, args.price_per_hour, args.tolerance, quiet=args.json)
    return EXIT_FAILED if failed else 0


def _check_strategies(strategies: list[str], every: list[Any]) -> None:
    """With `eval all`, each strategy named must belong to some task."""
    known = {name for task in every for name in task.strategies}
    unknown = [name for name in strategies if name not in known]
    if unknown:
        raise ConfigError(f"unknown strategy {unknown[0]!r}; the tasks know {', '.join(sorted(known))}")


def _for_task(request: Request, task: Any, everything: bool) -> Request:
    """With `eval all`, give each task the strategies that are its own (its defaults when none are)."""
    if not everything:
        return request
    return dataclasses.replace(request, strategies=[s for s in request.strategies if s in task.strategies])


def _compare(args: argparse.Namespace) -> int:
    from theoros_agents.evaluation.compare import compare_runs, describe

    result = compare_runs(args.run_a, args.run_b)
    print(json.dumps(result, indent=2, allow_nan=False) if args.json else describe(result))
    return 0


def _report(folder: Path, output: str | None, price: float | None, tolerance: float, quiet: bool = False) -> int:
    from theoros_agents.evaluation.charts import draw
    from theoros_agents.evaluation.recommend import load_runs
    from theoros_agents.evaluation.report import markdown
    from theoros_agents.evaluation.summary import summarize
    from theoros_agents.evaluation.tasks import get_task, tasks

    order = list(tasks())
    runs = sorted(load_runs(folder), key=lambda r: order.index(r.data["agent"]) if r.data["agent"] in order else 99)
    summaries = [summarize(run, get_task(run.data["agent"]), tolerance=tolerance, price=price) for run in runs]
    charts = {}
    for summary in summaries:
        drawn = draw(summary, folder / f"{summary['agent']}.png")
        if drawn:
            charts[summary["agent"]] = drawn.name
    target = Path(output) if output else folder / "report.md"
    target.write_text(markdown(summaries, charts, folder), encoding="utf-8")
    if not quiet:
        print(f"report: {target} ({len(summaries)} runs, {len(charts)} charts)")
    return 0


def _recommend(args: argparse.Namespace) -> int:
    from theoros_agents.evaluation.recommend import recommend

    path, text = recommend(Path(args.folder), args.tolerance, Path(args.output) if args.output else None, args.force)
    print(text)
    print(
        f"wrote {path}; adopt it with THEOROS_CONFIG={path} (or copy it to ./theoros.toml); `theoros models` shows it"
    )
    return 0


def print_table(title: str, summary: dict[str, dict[str, Any]], columns: tuple[str, ...]) -> None:
    """Print one row per system with the given metric columns."""
    print(title)
    print(f"{'system':<40}" + "".join(f"{c:>22}" for c in columns))
    for system, row in summary.items():
        print(f"{system:<40}" + "".join(f"{row.get(c, ''):>22}" for c in columns))


def run_router_eval(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    """Score the router: intent accuracy, with and without the routing model."""
    from theoros_agents.evaluation import router

    items = router.load_dataset(Path(args.dataset))[: args.limit or None]
    models = split_list(args.models) or [resolve_context(settings).supervisor_model]
    contexts = {m: resolve_context(settings | {"supervisor_model": m}) for m in models}
    summary = router.evaluate(contexts, items)
    columns = ("intent_accuracy", "fast_router_accuracy", "model_consulted_rate", "routing_p50_ms", "routing_p95_ms")
    if args.json:
        print(json.dumps({"agent": ROUTER, "dataset": args.dataset, "results": summary}, indent=2))
    else:
        print_table(f"router on {args.dataset} ({len(items)} items)", summary, columns)
    return 0
