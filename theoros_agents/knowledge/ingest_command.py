"""`theoros ingest`: its arguments and what it runs, source by source."""

from __future__ import annotations

import argparse
from pathlib import Path

from theoros_agents.context import Context
from theoros_agents.errors import ConfigError
from theoros_agents.knowledge import ingest

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
CSV_KINDS = ("plots", "imdb", "netflix")


def add_ingest_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ingest subcommand's arguments."""
    parser.add_argument(
        "--kg", action="append", metavar="FILE", help="N-Triples (.nt) or Turtle (.ttl) file for the graph"
    )
    parser.add_argument(
        "--without-starter",
        action="store_true",
        help="with --kg into a new home: hold only these files, not the starter catalog first (for evaluation)",
    )
    parser.add_argument("--plots", action="append", metavar="CSV", help="Wikipedia movie plots CSV (Kaggle format)")
    parser.add_argument("--imdb", action="append", metavar="CSV", help="IMDB movies CSV (Title, Description, …)")
    parser.add_argument("--netflix", action="append", metavar="CSV", help="Netflix titles CSV (movies)")
    parser.add_argument("--wikidata", action="store_true", help="copy films from a Wikidata SPARQL endpoint")
    parser.add_argument("--endpoint", default=WIKIDATA_SPARQL, help="with --wikidata: the SPARQL endpoint to read")
    parser.add_argument(
        "--limit", type=int, default=0, help="with --wikidata: how many films (required); with CSVs: first N rows"
    )
    parser.add_argument(
        "--wikipedia", nargs="+", metavar="TITLE", help="Wikipedia article titles, or files with one title a line"
    )
    parser.add_argument(
        "--tag", action="store_true", help="then tag every film in the plot store (metadata 'tags') with the tagger"
    )


def _titles(values: list[str]) -> list[str]:
    titles: list[str] = []
    for value in values:
        path = Path(value)
        if path.is_file():
            titles += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        else:
            titles.append(value)
    return titles


def run_ingest(args: argparse.Namespace, context: Context) -> int:
    """Ingest every source named on the command line, graph first so plots can link to it; print a line each."""
    csvs = [(kind, path) for kind in CSV_KINDS for path in getattr(args, kind) or []]
    if not (args.kg or csvs or args.wikidata or args.wikipedia or args.tag):
        raise ConfigError("nothing to ingest: give --kg, --plots, --imdb, --netflix, --wikidata, --wikipedia or --tag")
    if args.wikidata and args.limit <= 0:
        raise ConfigError("--wikidata needs --limit N, the number of films to copy")
    for path in args.kg or []:
        added = ingest.ingest_kg(context, Path(path), starter=not args.without_starter)
        print(f"{path}: {added} new triples", flush=True)
    if args.wikidata:
        print(f"{args.endpoint}: {ingest.ingest_wikidata(context, args.limit, args.endpoint).summary()}", flush=True)
    for kind, path in csvs:
        print(f"{path}: {ingest.ingest_csv(context, Path(path), kind, args.limit).summary()}", flush=True)
    if args.wikipedia:
        report, missing = ingest.ingest_wikipedia(context, _titles(args.wikipedia))
        print(f"wikipedia: {report.summary()}", flush=True)
        if missing:
            print(f"wikipedia: no article or no text for {', '.join(repr(t) for t in missing)}", flush=True)
    if args.tag:
        from theoros_agents.agents.tagger.ingest_tags import tag_plot_store
        from theoros_agents.knowledge.stores import plot_store

        print(f"tags: {tag_plot_store(context, plot_store(context)).summary()}", flush=True)
    return 0
