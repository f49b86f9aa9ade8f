"""CSV and N-Triples readers: the real development files, and corrupt ones reported with file and line."""

import pytest

from theoros_agents.cli import main
from theoros_agents.errors import ConfigError, CorruptInput
from theoros_agents.knowledge.catalog import SYNOPSES
from theoros_agents.knowledge.documents import PlotDocument, passages, split_words, unique_ids
from theoros_agents.knowledge.graph_store import EmbeddedGraphStore
from theoros_agents.knowledge.readers import read_csv, read_synopses
from theoros_agents.knowledge.sparql import WD


def test_the_three_csvs_parse_whole_with_their_metadata(data_dir):
    plots = read_csv(data_dir / "wiki_movie_plots_sample.csv", "plots")
    imdb = read_csv(data_dir / "imdb_movies.csv", "imdb")
    netflix = read_csv(data_dir / "netflix_movies.csv", "netflix")
    assert (len(plots), len(imdb), len(netflix)) == (1918, 581, 5886)
    first = plots[0]
    assert (first.title, first.year, first.country, first.source) == (
        "Kansas Saloon Smashers",
        1901,
        ("United States",),
        "wikiplots",
    )
    assert first.director == "" and first.genres == ()  # "Unknown" and "unknown" are no information
    assert any("\r\n" in p.text for p in plots)  # line breaks inside quoted fields survive
    guardians = imdb[0]
    assert guardians.genres == ("action", "adventure", "sci-fi") and guardians.director == "James Gunn"
    assert netflix[0].director == "Kirsten Johnson" and netflix[0].country == ("United States",)
    assert netflix[1].country == () and netflix[1].director == "Robert Cullen, José Luis Ucha"


def test_a_limit_reads_only_the_first_rows(data_dir):
    assert [d.title for d in read_csv(data_dir / "imdb_movies.csv", "imdb", limit=2)] == [
        "Guardians of the Galaxy",
        "Prometheus",
    ]


HEADER = "Release Year,Title,Origin/Ethnicity,Director,Cast,Genre,Wiki Page,Plot\r\n"
GOOD = '1999,Good Film,American,Someone,,drama,https://x,"Line one.\r\nLine two."\r\n'


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("2000,Short Row,American\r\n", "expected 8 fields, found 3"),
        ('20x0,Bad Year,American,A,,drama,https://x,"Plot."\r\n', "Release Year '20x0' is not a year"),
        (',2000,American,A,,drama,https://x,"Plot."\r\n', "Release Year '' is not a year"),
        ('2000,Open Quote,American,A,,drama,https://x,"never closed\r\n', "malformed CSV record"),
    ],
)
def test_a_corrupt_csv_row_names_file_and_the_line_it_starts_on(tmp_path, bad_row, message):
    path = tmp_path / "plots.csv"
    path.write_text(HEADER + GOOD + bad_row, encoding="utf-8", newline="")
    with pytest.raises(CorruptInput) as info:
        read_csv(path, "plots")
    # The good record spans lines 2-3, so the bad one starts on line 4.
    assert f"{path}:4:" in str(info.value) and message in str(info.value)


def test_missing_columns_and_missing_files_are_clear(tmp_path):
    path = tmp_path / "imdb.csv"
    path.write_text("Title,Year\nX,2000\n", encoding="utf-8")
    with pytest.raises(CorruptInput, match=r"imdb.csv:1: missing columns \['Genre', 'Description', 'Director'\]"):
        read_csv(path, "imdb")
    with pytest.raises(ConfigError, match="no such file"):
        read_csv(tmp_path / "nowhere.csv", "imdb")


def test_malformed_ntriples_keep_the_graph_as_it_was(tmp_path):
    store = EmbeddedGraphStore(tmp_path / "graph")
    good = tmp_path / "good.nt"
    good.write_text('<http://www.wikidata.org/entity/Q1> <http://www.w3.org/2000/01/rdf-schema#label> "One" .\n')
    store.load(good)
    bad = tmp_path / "bad.nt"
    lines = [f"<{WD}Q{i}> <http://www.wikidata.org/prop/direct/P57> <{WD}Q{i + 1}> ." for i in range(2, 50)]
    bad.write_text("\n".join(lines[:10] + ["<http://www.wikidata.org/entity/Q9> broken ."] + lines[10:]) + "\n")
    with pytest.raises(CorruptInput, match=r"bad.nt:11: "):
        store.load(bad)
    assert len(store) == 1  # the 10 valid lines before the error were not half-loaded either


def test_cli_reports_a_corrupt_file_with_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.nt"
    bad.write_text('<http://www.wikidata.org/entity/Q1> <http://x> "ok" .\n<oops\n')
    code = main(["ingest", "--home", str(tmp_path / "home"), "--kg", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and f"{bad}:2:" in err and "Traceback" not in err
    bad_csv = tmp_path / "imdb.csv"
    bad_csv.write_text("Title,Genre,Description,Director,Year\nX,Drama,About X,Y,19x9\n")
    code = main(["ingest", "--home", str(tmp_path / "home"), "--imdb", str(bad_csv)])
    assert code == 2 and f"{bad_csv}:2: Year '19x9' is not a year" in capsys.readouterr().err


def test_ingest_without_a_source_or_without_limit_is_an_error(tmp_path, capsys):
    assert main(["ingest", "--home", str(tmp_path)]) == 2
    assert "nothing to ingest" in capsys.readouterr().err
    assert main(["ingest", "--home", str(tmp_path), "--wikidata"]) == 2
    assert "--wikidata needs --limit N" in capsys.readouterr().err


def test_ids_are_stable_and_derive_from_source_title_and_year():
    doc = PlotDocument("imdb", "Amélie!", 2001, "A waitress in Paris.")
    assert doc.film_id == "imdb:amelie:2001" == PlotDocument("imdb", "amelie", 2001, "other text").film_id
    assert PlotDocument("netflix", "Amélie!", 2001, "x").film_id != doc.film_id
    assert PlotDocument("imdb", "Amélie!", 2002, "x").film_id != doc.film_id
    hashed = PlotDocument("netflix", "東京物語", 1953, "x").film_id
    assert hashed.startswith("netflix:t") and hashed == PlotDocument("netflix", "東京物語", 1953, "y").film_id
    twins = unique_ids([PlotDocument("netflix", "Consequences", 2014, t) for t in ("a", "b", "c")])
    assert [film_id for film_id, _ in twins] == [
        "netflix:consequences:2014",
        "netflix:consequences:2014~2",
        "netflix:consequences:2014~3",
    ]


def test_long_plots_split_into_passages_that_carry_title_year_and_metadata():
    text = " ".join(f"Sentence number {i} has exactly seven words." for i in range(60))
    assert all(len(piece.split()) <= 180 for piece in split_words(text))
    doc = PlotDocument("wikiplots", "Long Film", 1950, text + " [12]", genres=("drama",), country=("United States",))
    parts = passages(doc)
    assert len(parts) == 3 and [p.id for p in parts] == [f"wikiplots:long-film:1950#{i}" for i in range(3)]
    assert all(p.text.startswith("Long Film (1950): ") for p in parts) and "[12]" not in parts[-1].text
    meta = parts[1].metadata
    assert meta["genres"] == ["drama"] and meta["year"] == 1950 and meta["passage"] == 1 and meta["qid"] == ""
    assert "country" not in passages(PlotDocument("imdb", "X", 2000, "Short."))[0].metadata  # Chroma refuses []


def test_starter_synopses_read_with_their_ids():
    docs = read_synopses(SYNOPSES)
    assert len(docs) == 304 and all(d.qid.startswith("Q") and d.source == "theoros" for d in docs)


def test_wikipedia_titles_come_from_arguments_or_files(tmp_path):
    from theoros_agents.knowledge.ingest_command import _titles

    listing = tmp_path / "titles.txt"
    listing.write_text("Jaws (film)\n\nCrouching Tiger, Hidden Dragon\n", encoding="utf-8")
    assert _titles(["Alien (film)", str(listing)]) == ["Alien (film)", "Jaws (film)", "Crouching Tiger, Hidden Dragon"]


def test_an_ingest_without_the_starter_holds_only_its_file(tmp_path):
    from theoros_agents.context import resolve_context
    from theoros_agents.knowledge.ingest import ingest_kg
    from theoros_agents.knowledge.stores import graph_store

    source = tmp_path / "one.nt"
    source.write_text(
        '<http://www.wikidata.org/entity/Q1> <http://www.w3.org/2000/01/rdf-schema#label> "One" .\n', encoding="utf-8"
    )
    context = resolve_context({"home": str(tmp_path / "home")}, environ={})
    assert ingest_kg(context, source, starter=False) == 1
    assert len(graph_store(context)) == 1  # the starter catalog is not added to a store that holds data
