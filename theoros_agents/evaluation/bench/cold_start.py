"""CLI cold start: a fresh `theoros ask` process per run, side by side with `python -c "import langgraph.graph"`.

The commands run interleaved (each round in a rotated order), so that a burst of load on a shared machine
falls on all of them alike; each figure is the median wall time over the rounds, and the ratio is that median
over the median of importing LangGraph in the same venv. The home is initialised first (one unmeasured run of
each command), so the cached router classifier, label index and plot store exist, as after the first use.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from theoros_agents.evaluation.bench.config import BenchConfig
from theoros_agents.evaluation.bench.report import Figure, Target
from theoros_agents.evaluation.bench.timing import Measured, median, ratio, rotations, run_measured

SECTION = "CLI cold start"
BASELINE = "import langgraph.graph"


@dataclass(frozen=True)
class Command:
    """One measured command: what it runs, in which home, and what its output must contain."""

    name: str
    argv: tuple[str, ...]
    home: Path
    expect: str
    target: Target | None = None


def _commands(config: BenchConfig) -> list[Command]:
    theoros = str(Path(sys.executable).with_name("theoros"))
    starter = config.work / "cli-home"
    return [
        Command(BASELINE, (sys.executable, "-c", "import langgraph.graph"), starter, ""),
        Command(
            'fact: theoros ask "Who directed Jaws?"',
            (theoros, "ask", "Who directed Jaws?"),
            starter,
            "Steven Spielberg",
            Target(1.5),
        ),
        Command(
            "fact, model consulted (--set query_writer_strategy=intent, SmolLM2)",
            (theoros, "ask", "--set", "query_writer_strategy=intent", "Who directed Jaws?"),
            starter,
            "Steven Spielberg",
            Target(2.5),
        ),
        Command('plot: theoros ask "What is Alien about?"', (theoros, "ask", "What is Alien about?"), starter, "Alien"),
        Command(
            'fact in the make bench home (68k triples, 10.5k passages): "Who directed Casablanca?"',
            (theoros, "ask", "Who directed Casablanca?"),
            config.home,
            "Michael Curtiz",
        ),
    ]


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEOROS_")}
    return env | {"THEOROS_HOME": str(home), "TOKENIZERS_PARALLELISM": "false"}


def _run(command: Command) -> Measured:
    measured = run_measured(command.argv, _environment(command.home), timeout=300)
    if measured.returncode != 0 or command.expect not in measured.stdout:
        raise RuntimeError(
            f"{command.name!r} failed (exit {measured.returncode}): {measured.stdout[-300:]} {measured.stderr[-500:]}"
        )
    return measured


def run(config: BenchConfig) -> list[Figure]:
    """Measure every command over the rounds (at least 5), interleaved; report medians, ratios and peak memory."""
    commands = _commands(config)
    for command in commands:
        _run(command)  # initialise the home: stores, caches, the model file in the page cache
    rounds = max(5, config.rounds if not config.quick else 5)
    walls: dict[str, list[float]] = {c.name: [] for c in commands}
    memory: dict[str, list[float]] = {c.name: [] for c in commands}
    for order in rotations(commands, rounds):
        for command in order:
            measured = _run(command)
            walls[command.name].append(measured.wall_s * 1000)
            memory[command.name].append(measured.max_rss_mb)
    base = median(walls[BASELINE])
    figures = [Figure(SECTION, f'`python -c "{BASELINE}"` (the yardstick)', base, "ms", n=rounds)]
    for command in commands[1:]:
        wall = median(walls[command.name])
        figures.append(
            Figure(
                SECTION,
                f"{command.name}: wall / import langgraph.graph",
                ratio(wall, base),
                "x",
                target=command.target,
                n=rounds,
                note=f"{wall:,.0f} ms; peak RSS {median(memory[command.name]):.0f} MiB",
                extra={"wall_ms": walls[command.name], "max_rss_mb": memory[command.name]},
            )
        )
    return figures
