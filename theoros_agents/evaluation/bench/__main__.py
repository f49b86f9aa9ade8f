"""Run the benchmarks: `python -m theoros_agents.evaluation.bench [--only SECTIONS] [--quick] [--out FILE]`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from theoros_agents.evaluation.bench.config import BenchConfig
from theoros_agents.evaluation.bench.report import Figure, machine, save, table

SECTIONS = ("cold_start", "api", "overhead", "components", "ingest", "scaling", "concurrency", "tokens")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m theoros_agents.evaluation.bench", description=__doc__)
    parser.add_argument("--only", default="", help=f"comma-separated sections: {', '.join(SECTIONS)}")
    parser.add_argument("--skip", default="", help="comma-separated sections to leave out")
    parser.add_argument("--rounds", type=int, default=7, help="repetitions of each measured call (default 7)")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and requests, no 100k corpus")
    parser.add_argument("--model", default="llamacpp:smollm2-135m", help="model id of the token comparison")
    parser.add_argument("--data", default=os.environ.get("THEOROS_DATA", "../shared/data"), help="development data")
    parser.add_argument("--out", default="", help="JSON file (default: $THEOROS_HOME/bench.json)")
    return parser


def _chosen(only: str, skip: str) -> list[str]:
    """The sections to run, in their fixed order; an unknown name is an error."""
    names = [n.strip() for n in only.split(",") if n.strip()] or list(SECTIONS)
    skipped = [n.strip() for n in skip.split(",") if n.strip()]
    unknown = [n for n in [*names, *skipped] if n not in SECTIONS]
    if unknown:
        raise SystemExit(f"error: unknown section(s) {', '.join(unknown)}; sections are {', '.join(SECTIONS)}")
    return [n for n in SECTIONS if n in names and n not in skipped]


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sections, print the table, save the JSON; exit 1 only when a section could not run."""
    from theoros_agents.context import resolve_context

    args = _parser().parse_args(argv)
    sections = _chosen(args.only, args.skip)
    if args.rounds < 1:
        raise SystemExit("error: --rounds must be at least 1")
    home = Path(resolve_context().home).expanduser().resolve()
    config = BenchConfig(
        home=home, data=Path(args.data).resolve(), rounds=args.rounds, quick=args.quick, model=args.model
    )
    out = Path(args.out) if args.out else home / "bench.json"
    print(f"stores: {home}  data: {config.data}  rounds: {config.rounds}  sections: {', '.join(sections)}", flush=True)
    figures: list[Figure] = []
    status: dict[str, Any] = {}
    started_all = time.perf_counter()
    for name in sections:
        started = time.perf_counter()
        print(f"-- {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"theoros_agents.evaluation.bench.{name}")
            found: list[Figure] = module.run(config)
            figures += found
            status[name] = {"seconds": round(time.perf_counter() - started, 1), "error": ""}
        except Exception as exc:  # noqa: BLE001 - one broken section is reported and the others still run
            traceback.print_exc()
            status[name] = {"seconds": round(time.perf_counter() - started, 1), "error": f"{type(exc).__name__}: {exc}"}
        print(f"-- {name}: {status[name]['seconds']} s {status[name]['error']}", file=sys.stderr, flush=True)
    meta = {
        "machine": machine(),
        "rounds": config.rounds,
        "quick": config.quick,
        "seconds": round(time.perf_counter() - started_all, 1),
        "sections": status,
    }
    print()
    print(table(figures))
    failed = {name: s["error"] for name, s in status.items() if s["error"]}
    for name, error in failed.items():
        print(f"error: section {name} did not run: {error}", file=sys.stderr)
    save(out, figures, meta)
    print(f"\n{len(figures)} figures in {meta['seconds']:.0f} s, saved to {out}; machine: {meta['machine']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
