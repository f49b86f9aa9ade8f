import json
from pathlib import Path

import pytest

from tests.fakes import scripted
from theoros_agents.agents.tagger import build_tagger
from theoros_agents.agents.tagger.labels import load_labels
from theoros_agents.agents.tagger.schema import pick_schema
from theoros_agents.agents.tagger.taxonomy import builtin_taxonomy, normalize_label
from theoros_agents.agents.tagger.text import prepare
from theoros_agents.context import Context
from theoros_agents.errors import ConfigError

SNAPSHOT = Path(__file__).parent / "snapshots" / "tagger.mmd"
SLASHER = "A masked killer stalks the teenage counsellors of a summer camp and murders them one by one."
WESTERN = "A lone gunslinger rides into a frontier town and faces the outlaws who terrorise its ranchers."
LABELS = "Horror: Frightening monsters, killers and terror.\nRomance: A love story.\nWestern: Cowboys and outlaws.\n"


@pytest.fixture
def label_file(tmp_path):
    path = tmp_path / "labels.txt"
    path.write_text(LABELS)
    return str(path)


async def _tag(text, **settings):
    graph = build_tagger().compile(name="tagger")
    return await graph.ainvoke({"question": text}, context=Context(**settings))


def test_graph_shape_matches_snapshot():
    assert build_tagger().compile(name="tagger").get_graph().draw_mermaid() == SNAPSHOT.read_text()


def test_builtin_taxonomy_has_genres_with_described_subgenres_and_wikidata_ids():
    taxonomy = builtin_taxonomy()
    genres = [label for label in taxonomy if label.kind == "genre"]
    assert len(genres) >= 20 and all(label.description for label in taxonomy)
    assert all(any(s.parent == g.name for s in taxonomy) for g in genres)
    ids = {label.name: label.wikidata for label in taxonomy}
    assert ids["heist film"] == "Q496523" and ids["film noir"] == "Q185867"
    assert ids["slasher film"] == "Q853630" and ids["space opera"] == "Q468478"
    assert taxonomy.get("heist film").parent == "crime"


def test_labels_resolve_through_names_and_aliases_whatever_the_spelling():
    taxonomy = builtin_taxonomy()
    assert taxonomy.resolve("Sci-Fi") == "science fiction" and taxonomy.resolve("Western film") == "western"
    assert taxonomy.resolve("opera buffa") is None
    assert normalize_label("Action & Adventure") == "action and adventure"
    with pytest.raises(ConfigError, match="'opera buffa' is not in the label set"):
        taxonomy.get("opera buffa")


def test_label_sets_from_yaml_text_and_datasets(tmp_path, label_file):
    assert load_labels("imdb").names[:2] == ["Action", "Adventure"] and len(load_labels("imdb")) == 20
    assert load_labels(label_file).get("horror").description == "Frightening monsters, killers and terror."
    listed = tmp_path / "labels.yaml"
    listed.write_text("labels: [Sci-Fi, Heist]\n")
    assert load_labels(str(listed)).get("Sci-Fi").description.startswith("Science fiction")
    dataset = tmp_path / "items.jsonl"
    dataset.write_text(json.dumps({"text": "x", "labels": ["War", "Drama"]}) + "\n")
    assert load_labels(str(dataset)).names == ["War", "Drama"]


def test_an_unknown_label_set_is_a_clear_error():
    with pytest.raises(ConfigError, match="tagger_labels 'no-such-set'"):
        load_labels("no-such-set")


def test_the_pick_schema_constrains_decoding_to_the_label_set():
    schema = pick_schema(("Horror", "Romance"), 2).model_json_schema()
    assert schema["properties"]["labels"]["items"]["enum"] == ["Horror", "Romance"]
    assert schema["properties"]["labels"]["maxItems"] == 2


def test_synopsis_preparation_flags_empty_long_and_foreign_text():
    assert prepare("   ").problem == "the synopsis is empty" and prepare(None).problem
    long = prepare("The killer waits in the dark. " * 20_000)
    assert long.truncated and long.words == 400 and not long.problem
    assert prepare("Un joven granjero descubre que tiene poderes mágicos y debe salvar su reino.").problem
    assert prepare("一个年轻人在城市里寻找他失散多年的父亲。").problem == "the synopsis is not in English"
    assert not prepare("A jazz pianist falls for an aspiring actress in Los Angeles.").problem
    assert prepare("Tag this synopsis: a boxer trains his granddaughter").text == "a boxer trains his granddaughter"


@pytest.mark.parametrize(
    ("text", "problem"),
    [("", "empty"), ("Ein junger Polizist jagt einen Serienmörder durch die Straßen von Berlin.", "not in English")],
)
async def test_bad_synopses_get_a_clear_answer_and_no_model_call(text, problem, label_file):
    model_id, model = scripted(json.dumps({"labels": ["Horror"]}))
    result = await _tag(text, tagger_model=model_id, tagger_strategy="slm_pick", tagger_labels=label_file)
    assert result["tags"] == [] and problem in result["answer"] and not model.seen


async def test_slm_pick_keeps_the_model_inside_the_label_set(label_file):
    model_id, model = scripted(json.dumps({"labels": ["Horror"]}))
    result = await _tag(SLASHER, tagger_model=model_id, tagger_strategy="slm_pick", tagger_labels=label_file)
    assert [t["label"] for t in result["tags"]] == ["Horror"] and result["answer"] == "Genres: Horror."
    system = model.seen[0][0].content
    assert "- Horror: Frightening monsters" in system and "<synopsis>" in model.seen[0][1].content


async def test_a_model_answering_outside_the_label_set_is_filtered_and_reported(label_file):
    model_id, _ = scripted(json.dumps({"labels": ["Opera", "Horror"]}))
    result = await _tag(SLASHER, tagger_model=model_id, tagger_strategy="slm_pick", tagger_labels=label_file)
    assert [t["label"] for t in result["tags"]] == ["Horror"]
    (rec,) = [r for r in result["records"] if r["node"] == "pick_labels"]
    assert "outside the label set" in rec["error"] and "Opera" in rec["error"]


@pytest.mark.parametrize("reply", ['{"labels": ["Opera"]}', "not JSON", '{"labels": []}'])
async def test_an_unusable_reply_still_gives_a_clear_result(reply, label_file):
    model_id, _ = scripted(reply)
    result = await _tag(SLASHER, tagger_model=model_id, tagger_strategy="slm_pick", tagger_labels=label_file)
    assert [t["label"] for t in result["tags"]] == ["Horror"] and "stands in" in result["answer"]
    assert any(r["model"] and r["error"] for r in result["records"])


async def test_slm_checks_each_shortlisted_label_with_one_call(label_file):
    model_id, model = scripted(json.dumps({"answer": "yes"}))
    result = await _tag(
        WESTERN, tagger_model=model_id, tagger_strategy="slm", tagger_labels=label_file, tagger_shortlist=2
    )
    checks = [r for r in result["records"] if r["node"] == "check_label"]
    assert len(model.seen) == len(checks) == 2 and len(result["tags"]) == 2
    assert {t["label"] for t in result["tags"]} <= {"Horror", "Romance", "Western"}
    assert all(t["confidence"] is None for t in result["tags"])


async def test_embedding_similarity_tags_without_a_model(label_file):
    result = await _tag(SLASHER, tagger_strategy="embedding", tagger_labels=label_file, tagger_max_labels=1)
    assert [t["label"] for t in result["tags"]] == ["Horror"] and 0 < result["tags"][0]["confidence"] <= 1
    assert not any(r["model"] for r in result["records"])


async def test_builtin_tags_carry_the_subgenre_its_genre_and_the_wikidata_id():
    result = await _tag("A crew of thieves plans to rob three Las Vegas casinos in one night.",
                        tagger_strategy="embedding", tagger_max_labels=1)  # fmt: skip
    assert [t["label"] for t in result["tags"]] == ["heist film", "crime"]
    assert result["tags"][0]["wikidata"] == "Q496523" and result["tags"][0]["kind"] == "subgenre"
    assert "Subgenres: heist film." in result["answer"]


async def test_a_two_hundred_page_text_is_cut_not_refused(label_file):
    result = await _tag(SLASHER + " " + "The camp burns. " * 20_000, tagger_strategy="embedding",
                        tagger_labels=label_file)  # fmt: skip
    assert result["tags"] and "first 400 words" in result["answer"]


async def test_unknown_strategy_and_missing_classifier_are_clear_errors(tmp_path, label_file):
    with pytest.raises(ConfigError, match="unknown tagger strategy 'magic'"):
        await _tag(SLASHER, tagger_strategy="magic")
    with pytest.raises(ConfigError, match="theoros train tagger"):
        await _tag(SLASHER, tagger_strategy="ensemble", tagger_labels=label_file, home=str(tmp_path))


def test_auto_uses_similarity_until_a_classifier_is_trained(tmp_path):
    from theoros_agents.agents.tagger.scoring import resolve_strategy

    context = Context(home=str(tmp_path), tagger_strategy="auto")
    assert resolve_strategy(context, builtin_taxonomy()) == "embedding"
