import pytest

from theoros_agents.agents.retriever.filters import parse_filters, to_where


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("a heist thriller from the 1990s", {"year_from": 1990, "year_to": 1999, "tag": "heist film"}),
        ("French films of the '60s", {"year_from": 1960, "year_to": 1969, "country": "France"}),
        (
            "a Japanese animated film released in 2001",
            {"year_from": 2001, "year_to": 2001, "country": "Japan", "tag": "animation"},
        ),
        ("tell us about the shark movie", {}),
    ],
)
def test_filters_are_read_from_the_question(question, expected):
    assert parse_filters(question) == expected


def test_filters_become_a_chroma_where_clause():
    assert to_where({}) is None
    assert to_where({"country": "France"}) == {"country": {"$contains": "France"}}
    where = to_where({"year_from": 1990, "year_to": 1999, "tag": "heist film"})
    assert where == {
        "$and": [{"year": {"$gte": 1990}}, {"year": {"$lte": 1999}}, {"tags": {"$contains": "heist film"}}]
    }
