"""Command line: `theoros ask|chat|models|ingest|stores|eval|train`."""

from __future__ import annotations

import argparse
import asyncio
import gc
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
        except UnicodeDecodeError:
            line = "\udcff"  # undecodable bytes: refused below like any other bad question
        if line.strip().lower() in {"exit", "quit"}:
            return 0
        try:
            answer = _ask(theoros, line, thread)
        except InvalidQuestion as exc:
            if line.strip():
                print(f"error: {exc}", file=sys.stderr)
            continue
        print(answer.answer)
        if args.trace:
            _print_trace(answer)


def _strategy(context: Any, agent: str) -> str:
    """The setting that picks how an agent works (what `theoros eval recommend` chooses besides the model)."""
    for name in (f"{agent}_strategy", f"{agent}_ranker"):
        if hasattr(context, name):
            return str(getattr(context, name))
    return ""


def cmd_models(args: argparse.Namespace) -> int:
    """List each agent's model and whether it can run here."""
    from theoros_agents.models import check_model

    context = resolve_context(_settings(args))
    rows = []
    for agent in model_agents():
        model_id = context.model_for(agent)
        rows.append((agent, model_id, _strategy(context, agent), check_model(model_id) if model_id else ""))
    if args.json:
        listed = [{"agent": a, "model": m} | ({"strategy": s} if s else {}) | {"available": not r, "reason": r}
                  for a, m, s, r in rows]  # fmt: skip
        print(json.dumps(listed, indent=2))
        return 0
    for agent, model_id, how, reason in rows:
        shown = model_id or "(none: runs without a chat model)"
        strategy = f"[{how}]" if how else ""
        print(f"{agent:<13} {shown:<36} {strategy:<12} {'available' if not reason else 'unavailable: ' + reason}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Load data into the stores."""
    from theoros_agents.knowledge.ingest_command import run_ingest

    return run_ingest(args, resolve_context(_settings(args)))


def cmd_stores(args: argparse.Namespace) -> int:
    """Report where the stores are and what they hold, without creating or changing anything."""
    from theoros_agents.knowledge.status import describe_graph, describe_plots

    context = resolve_context(_settings(args))
    print(f"graph: {describe_graph(context)}")
    print(f"plots: {describe_plots(context)}")
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


def _ask_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", nargs="+", help="the question, e.g. 'Who directed Jaws?'")
    parser.add_argument("--json", action="store_true", help="print answer, route, per-node records and SPARQL as JSON")
    parser.add_argument("--trace", action="store_true", help="after the answer, show route, nodes, timings and SPARQL")
    parser.add_argument("--thread", help="conversation thread id: later questions can refer back ('who wrote it?')")


def _chat_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--thread", help="resume this thread id (default: a new thread)")
    parser.add_argument("--trace", action="store_true", help="show route, nodes and timings after each answer")


def _json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print as JSON")


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """The command takes only the common options."""


# name: (help, description, its own arguments: a function or the dotted path of one, takes --home/--model/--set)
SUBCOMMANDS: dict[str, tuple[str, str, Any, bool]] = {
    "ask": ("answer a question", "Answer a movie question.", _ask_arguments, True),
    "chat": ("converse with memory", "Converse; one question per line.", _chat_arguments, True),
    "models": ("list agents and their models", "List agents, models, availability.", _json_argument, True),
    "ingest": (
        "load data into the stores",
        "Load data into the stores.",
        "theoros_agents.knowledge.ingest_command:add_ingest_arguments",
        True,
    ),
    "stores": ("report store locations and counts", "Report the stores.", _no_arguments, True),
    "eval": (
        "score agents, compare, report, recommend",
        "Choose each agent's model by measurement: score, compare, report, recommend.",
        "theoros_agents.evaluation.runner:add_eval_arguments",
        False,  # its subcommands take --home/--model/--set themselves
    ),
    "train": (
        "train a classic classifier",
        "Train the tagger's classifiers.",
        "theoros_agents.agents.tagger.train_command:add_train_arguments",
        True,
    ),
    "mcp": (
        "serve the tools over MCP",
        "Serve ask, sparql, search_plots, tag and judge over MCP (set up by THEOROS_* and theoros.toml).",
        "theoros_agents.tools.mcp_command:add_mcp_arguments",
        False,
    ),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the argument parser; with `command`, only that subcommand's arguments (the others import a lot)."""
    parser = argparse.ArgumentParser(prog="theoros", description="Ask movie questions of small-model agents.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (summary, description, arguments, common) in SUBCOMMANDS.items():
        subparser = sub.add_parser(name, help=summary, description=description)
        if command is not None and name != command:
            continue
        if isinstance(arguments, str):
            from theoros_agents.agents.registry import load_object

            arguments = load_object(arguments)
        arguments(subparser)
        if common:
            _common(subparser)
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
    words = sys.argv[1:] if argv is None else argv
    command = next((word for word in words if not word.startswith("-")), None)
    args = build_parser(command if command in SUBCOMMANDS else None).parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except TheorosError as exc:
        from theoros_agents.secrets import redact

        print(f"error: {redact(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run() -> int:
    """The `theoros` command: `main`, then a quick exit.

    At exit the interpreter's last garbage collection walks every object the imported libraries made
    (LangChain, pydantic, LangGraph): about 0.25 s of a 1.2 s fact question, for memory the system takes back
    anyway. Freezing the heap first skips that walk; exit handlers, flushes and finalisers run as before.
    Not in `main`, which tests and embedding programs call in a process that goes on.
    """
    code = main()
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(run())
