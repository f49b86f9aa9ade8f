from theoros_agents.knowledge.linker import Entity, LabelIndex, normalize


def _index():
    index = LabelIndex()
    for entity in (
        Entity("Q1", "A Star Is Born", "film", 1937),
        Entity("Q2", "A Star Is Born", "film", 2018),
        Entity("Q3", "The Godfather Part II", "film", 1974),
        Entity("Q4", "Spirited Away", "film", 2001),
        Entity("Q5", "spy film", "genre"),
        Entity("Q6", "Dances with Wolves", "film", 1990),
    ):
        index.add(entity)
    return index


def test_normalize_folds_case_accents_punctuation_and_film_suffix():
    assert normalize("Amélie (2001 film)!") == "amelie"
    assert normalize("Tom & Jerry") == "tom and jerry"


def test_exact_mentions_ignore_case_punctuation_and_leading_article():
    index = _index()
    assert [c.entity.id for c in index.mentions("who directed the godfather part ii")] == ["Q3"]
    assert [c.entity.id for c in index.mentions("what is godfather part II about?")] == ["Q3"]


def test_a_year_in_the_question_picks_among_namesakes():
    index = _index()
    assert [c.entity.id for c in index.mentions("who starred in a star is born")] == ["Q1", "Q2"]
    assert [c.entity.id for c in index.mentions("who starred in a star is born (2018)?")][0] == "Q2"
    assert index.link("Spirited Away (2001)")[0].entity.id == "Q4"


def test_plural_mentions_and_close_spellings_link():
    index = _index()
    assert [c.entity.id for c in index.mentions("name some spy films")] == ["Q5"]
    close = index.close_mentions('Who directed "Dances With Wolfs"?')
    assert close and close[0].entity.id == "Q6"
    assert index.close_mentions("completely unrelated words here") == []


def test_a_missing_film_is_not_read_as_a_shorter_label_inside_its_name():
    index = _index()
    index.add(Entity("Q7", "Ali", "film", 2001))
    assert index.link("directed alien")[0].entity.id == "Q7"  # WRatio alone finds "ali" inside "alien"
    assert index.close_mentions("Who directed Alien?") == []
    assert [c.entity.id for c in index.close_mentions("Who directed Spirted Away?")] == ["Q4"]  # a misspelling
