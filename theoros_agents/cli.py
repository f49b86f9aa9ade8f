"""Command line: `theoros ask|chat|models|ingest|stores|eval|train`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from typing import Any

from theoros_agents.agents.registry import model_agents
from theoros_agents.context import resolve_context
from theoros_agents.errors import ConfigError, TheorosError

EXIT_ERROR, EXIT_MODEL = 2, 3


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """Collect --home, --model AGENT=ID and --set KEY=VALUE into context overrides."""
    settings: dict[str, Any] = {}
    if getattr(args, "home", None):
        settings["home"] = args.home
    for pair in getattr(args, "model", None) or []:
        agent, sep, model_id = pair.partition("=")
        if not sep:
            agent, model_id = "all", pair
        agents = model_agents()
        targets = agents if agent == "all" else (agent,)
        for target in targets:
            if target not in agents:
                raise ConfigError(f"unknown agent {target!r} in --model {pair!r}; agents are {', '.join(agents)}")
            settings[f"{target}_model"] = model_id
    for pair in getattr(args, "set", None) or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ConfigError(f"--set takes KEY=VALUE, got {pair!r}")
        settings[key.strip()] = value
    return settings


def _print_trace(answer: Any) -> None:
    print(f"\nroute: {', '.join(answer.intents)} (by {answer.route_source})")
    for rec in answer.records:
        tokens = f"{rec['prompt_tokens']}+{rec['completion_tokens']} tok" if rec["model"] else ""
        error = f"  error: {rec['error']}" if rec["error"] else ""
        where = f"{rec['agent']:>12}.{rec['node']:<15}"
        print(f"  {where} {rec['latency_ms']:>8.1f} ms  {rec['model'] or '-':<24} {tokens}{error}")
    for query in answer.sparql:
        print(f"sparql: {' '.join(query.split())}")
    for source in answer.sources:
        if source["kind"] != "sparql":
            print(f"source: {source['title']} ({source['detail']})")


async def _answer_with_progress(theoros: Any, question: str, thread_id: str | None) -> Any:
    """Show each node on stderr as it finishes, then return the answer."""
    answer = None
    async for kind, payload in theoros.astream(question, thread_id):
        if kind == "node":
            print(f"  · {payload[0]}", file=sys.stderr, flush=True)
        elif kind == "token":
            print(payload, end="", file=sys.stderr, flush=True)
        elif kind == "answer":
            answer = payload
    return answer


def _ask(theoros: Any, question: str, thread_id: str | None = None) -> Any:
    if sys.stderr.isatty():
        return asyncio.run(_answer_with_progress(theoros, question, thread_id))
    return theoros.ask(question, thread_id)


def _report(answer: Any, args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(answer.answer)
        if args.trace:
            _print_trace(answer)
    if answer.model_errors:
        print("error: a model gave no usable output: " + "; ".join(answer.model_errors), file=sys.stderr)
        return EXIT_MODEL
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one question."""
    from theoros_agents.api import Theoros

    theoros = Theoros(resolve_context(_settings(args)))
    return _report(_ask(theoros, " ".join(args.question), args.thread), args)


def cmd_chat(args: argparse.Namespace) -> int:
    """Hold a conversation: one question per line, answers remember the thread."""
    from theoros_agents.api import Theoros
    from theoros_agents.errors import InvalidQuestion

    theoros = Theoros(resolve_context(_settings(args)))
    thread = args.thread or uuid.uuid4().hex[:12]
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"Theoros chat (thread {thread}). Ask about films; Ctrl-D or 'exit' to leave.")
    while True:
        try:
            line = input("you> " if interactive else "")
        except EOFError:
            return 0
        if line.strip().lower() in {"exit", "quit"}:
            return 0
        try:
            answer = _ask(theoros, line, thread)
        except InvalidQuestion:
            continue
        print(answer.answer)
        if args.trace:
            _print_trace(answer)


def cmd_models(args: argparse.Namespace) -> int:
    """List each agent's model and whether it can run here."""
    from theoros_agents.models import check_model

    context = resolve_context(_settings(args))
    rows = []
    for agent in model_agents():
        model_id = context.model_for(agent)
        rows.append((agent, model_id, check_model(model_id) if model_id else ""))
    if args.json:
        print(json.dumps([{"agent": a, "model": m, "available": not r, "reason": r} for a, m, r in rows], indent=2))
        return 0
    for agent, model_id, reason in rows:
        shown = model_id or "(none: runs without a chat model)"
        print(f"{agent:<13} {shown:<36} {'available' if not reason else 'unavailable: ' + reason}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Load data into the stores."""
    from theoros_agents.knowledge.ingest_command import run_ingest

    return run_ingest(args, resolve_context(_settings(args)))


def cmd_stores(args: argparse.Namespace) -> int:
    """Report where the stores are and what they hold."""
    from theoros_agents.knowledge.graph_store import EmbeddedGraphStore
    from theoros_agents.knowledge.stores import graph_store, label_index

    context = resolve_context(_settings(args))
    store = graph_store(context)
    index = label_index(context)
    films = sum(1 for e in index.entities.values() if e.kind == "film")
    size = len(store) if isinstance(store, EmbeddedGraphStore) else "?"
    print(f"graph: {store.describe()}: {size} triples, {films} films, {len(index.entities)} labelled entities")
    from theoros_agents.knowledge.stores import plot_store

    plots = plot_store(context)
    stats = plots.stats()
    sources = ", ".join(f"{name} {count}" for name, count in sorted(stats["sources"].items()))
    print(
        f"plots: {plots.describe()}: {stats['passages']} passages of {stats['films']} films ({sources}), "
        f"{stats['linked']} linked to graph ids"
    )
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Score an agent on a dataset and print a leaderboard."""
    from theoros_agents.evaluation.runner import run_eval

    return run_eval(args, _settings(args))


def cmd_train(args: argparse.Namespace) -> int:
    """Train an agent's classic classifier from labelled files."""
    from theoros_agents.agents.tagger.train_command import run_train

    return run_train(args, resolve_context(_settings(args)))


def cmd_mcp(args: argparse.Namespace) -> int:
    """Serve the Theoros tools over MCP (stdio or streamable HTTP)."""
    from theoros_agents.tools.mcp_command import run_mcp

    return run_mcp(args)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--home", help="directory of the stores (default $THEOROS_HOME or ~/.theoros)")
    parser.add_argument(
        "--model",
        action="append",
        metavar="AGENT=ID",
        help="model of an agent, e.g. query_writer=ollama:qwen3:4b; a bare ID sets every agent",
    )
    parser.add_argument("--set", action="append", metavar="KEY=VALUE", help="any Context setting, e.g. judge_gate=true")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="theoros", description="Ask movie questions of small-model agents.")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer a question", description="Answer a movie question.")
    ask.add_argument("question", nargs="+", help="the question, e.g. 'Who directed Jaws?'")
    ask.add_argument("--json", action="store_true", help="print answer, route, per-node records and SPARQL as JSON")
    ask.add_argument("--trace", action="store_true", help="after the answer, show route, nodes, timings and SPARQL")
    ask.add_argument("--thread", help="conversation thread id: later questions can refer back ('who wrote it?')")
    _common(ask)
    chat = sub.add_parser("chat", help="converse with memory", description="Converse; one question per line.")
    chat.add_argument("--thread", help="resume this thread id (default: a new thread)")
    chat.add_argument("--trace", action="store_true", help="show route, nodes and timings after each answer")
    _common(chat)
    models = sub.add_parser(
        "models", help="list agents and their models", description="List agents, models, availability."
    )
    models.add_argument("--json", action="store_true", help="print as JSON")
    _common(models)
    ingest = sub.add_parser("ingest", help="load data into the stores", description="Load data into the stores.")
    from theoros_agents.knowledge.ingest_command import add_ingest_arguments

    add_ingest_arguments(ingest)
    _common(ingest)
    stores = sub.add_parser("stores", help="report store locations and counts", description="Report the stores.")
    _common(stores)
    from theoros_agents.evaluation.runner import add_eval_arguments

    evaluate = sub.add_parser("eval", help="score agents on a dataset", description="Score an agent on a dataset.")
    add_eval_arguments(evaluate)
    _common(evaluate)
    from theoros_agents.agents.tagger.train_command import add_train_arguments

    train = sub.add_parser("train", help="train a classic classifier", description="Train the tagger's classifiers.")
    add_train_arguments(train)
    _common(train)
    from theoros_agents.tools.mcp_command import add_mcp_arguments

    mcp = sub.add_parser(
        "mcp",
        help="serve the tools over MCP",
        description="Serve ask, sparql, search_plots, tag and judge over MCP (set up by THEOROS_* and theoros.toml).",
    )
    add_mcp_arguments(mcp)
    return parser


COMMANDS = {
    "chat": cmd_chat,
    "ask": cmd_ask,
    "models": cmd_models,
    "ingest": cmd_ingest,
    "stores": cmd_stores,
    "eval": cmd_eval,
    "train": cmd_train,
    "mcp": cmd_mcp,
}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; errors become one line on stderr and a non-zero exit."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except TheorosError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
