from theoros_agents.knowledge.linker import REFERENCE, Entity, LabelIndex, normalize


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


def _index_of(*entities):
    index = LabelIndex()
    for entity in entities:
        index.add(entity)
    return index


def _awards():
    return _index_of(
        Entity("Q19020", "Academy Awards", "award"),
        Entity("Q102427", "Academy Award for Best Picture", "award"),
        Entity("Q1011547", "Golden Globe Awards", "award"),
        Entity("Q7", "Oscar Isaac", "person"),
        Entity("Q8", "Police Academy", "film", 1984),
    )


def _linked(index, question):
    return [(c.entity.id, c.mention) for c in index.mentions(question)]


def test_an_award_family_is_linked_as_one_of_its_awards_or_by_its_nickname():
    index = _awards()
    assert _linked(index, "Which films won an Academy Award?") == [("Q19020", "academy award")]
    assert _linked(index, "Which films won a Golden Globe?") == [("Q1011547", "golden globe")]
    # The mention is the question's own word, so that the part of a request holding it keeps the entity.
    assert _linked(index, "Which films won an Oscar?") == [("Q19020", "oscar")]
    assert _linked(index, "Oscar winners of 1990") == [("Q19020", "oscar")]
    assert _linked(index, "Which films won the Oscar for Best Picture?") == [("Q102427", "oscar for best picture")]


def test_a_nickname_yields_to_a_name_and_a_one_word_family_name_is_not_a_variant():
    index = _awards()
    isaac = _linked(index, "Did Oscar Isaac win a Golden Globe?")
    assert isaac == [("Q7", "oscar isaac"), ("Q1011547", "golden globe")]
    assert _linked(index, "What is Police Academy about?") == [("Q8", "police academy")]
    assert _linked(index, "Which films are set in an academy?") == []


def test_a_genre_named_by_its_noun_alone_is_linked_but_not_a_common_word():
    index = _index_of(
        Entity("Q9", "drama film", "genre"),
        Entity("Q10", "action film", "genre"),
        Entity("Q11", "comedy film", "genre"),
    )
    assert _linked(index, "Is Casablanca a drama?") == [("Q9", "drama")]
    assert _linked(index, "Which dramas did Frank Capra direct?") == [("Q9", "dramas")]
    assert _linked(index, "a film full of action") == []
    assert _linked(index, "Which comedies did Billy Wilder direct?") == [("Q11", "comedies")]


def test_a_demonym_links_its_country_where_it_is_not_part_of_a_title():
    index = LabelIndex()
    for entity in (Entity("Q142", "France", "country"), Entity("Q9", "The French Connection", "film", 1971)):
        index.add(entity)
    assert _linked(index, "Which French films won an Oscar?") == [("Q142", "french")]
    assert _linked(index, "Who directed The French Connection?") == [("Q9", "the french connection")]


def test_a_two_word_genre_nickname_links_the_genre():
    index = _index_of(Entity("Q12", "science fiction film", "genre"), Entity("Q13", "romantic comedy", "genre"))
    assert _linked(index, "What are some good sci-fi movies from the 80s?") == [("Q12", "sci fi")]
    assert _linked(index, "Recommend a rom-com") == [("Q13", "rom com")]


def test_a_film_named_by_its_title_is_not_read_again_from_other_words():
    index = _index_of(Entity("Q14", "Alien", "film", 1979))
    assert _linked(index, "Which came first, Alien or Aliens?") == [("Q14", "alien")]
    assert _linked(index, "Who directed Aliens?") == [("Q14", "aliens")]  # alone, the plural still links it


def test_the_film_before_a_title_introduces_it_rather_than_pointing_back():
    pointing = ["Who directed the film?", "What is the film about?", "Is the movie a comedy?", "Who starred in it?"]
    assert all(REFERENCE.search(question) for question in pointing)
    assert REFERENCE.search("What genre is the film antibody?") is None
    assert REFERENCE.search("who directed the movie volga-volga") is None
