"""Property-based tests: the SPARQL guard, model ids and settings hold for any input, not only ours."""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from theoros_agents.context import per_run_settings, resolve_context, resolve_run_context
from theoros_agents.errors import ConfigError, ModelNotAvailable, QueryRejected
from theoros_agents.knowledge.graph_store import EmbeddedGraphStore
from theoros_agents.knowledge.sparql import check_read_only
from theoros_agents.models import split_model_id
from theoros_agents.models.registry import PROVIDERS

UPDATES = ["INSERT DATA", "DELETE DATA", "DELETE WHERE", "INSERT {", "DELETE {", "LOAD <", "CLEAR ALL", "DROP GRAPH <"]
UPDATES += ["CREATE GRAPH <", "COPY DEFAULT", "MOVE DEFAULT", "ADD DEFAULT", "CLEAR DEFAULT", "DROP ALL"]
words = st.text(alphabet=string.ascii_letters + string.digits + " {}?.:<>/#_-*\"'\n", max_size=80)
casing = st.sampled_from([str.upper, str.lower, str.title])


@given(prefix=words, update=st.sampled_from(UPDATES), case=casing, suffix=words)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_text_with_an_update_outside_literals_ever_passes(prefix, update, case, suffix):
    query = f"{prefix} {case(update)} {suffix}"
    try:
        checked = check_read_only(query)
    except QueryRejected:
        return
    # Accepted only when the update words sat inside a string literal: then it parsed as a read query.
    assert any(quote in prefix for quote in "\"'"), checked


@given(query=st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_the_guard_either_accepts_or_rejects_and_never_writes(query):
    store = EmbeddedGraphStore(None)
    store.store.update('INSERT DATA { <http://www.wikidata.org/entity/Q1> <http://example.org/p> "x" }')
    try:
        store.select(query)
    except QueryRejected:
        pass
    assert len(store) == 1


@given(provider=st.sampled_from(PROVIDERS), name=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s))
def test_a_model_id_splits_on_its_first_colon_only(provider, name):
    assert split_model_id(f"{provider}:{name}") == (provider, name)


@given(text=st.text(max_size=40))
def test_any_model_id_is_split_or_refused_with_a_clear_error(text):
    try:
        provider, name = split_model_id(text)
    except ModelNotAvailable as exc:
        assert repr(text) in str(exc) or "provider" in str(exc)
    else:
        assert provider in PROVIDERS and name


@given(key=st.text(max_size=30), value=st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.booleans()))
@settings(max_examples=300, deadline=None)
def test_any_setting_resolves_or_is_one_config_error(key, value):
    try:
        context = resolve_context({key: value}, environ={})
    except ConfigError:
        return
    assert getattr(context, key) is not None


@given(key=st.sampled_from(sorted(per_run_settings())), value=st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_a_run_never_gets_a_path_or_a_process_into_its_settings(key, value):
    try:
        context = resolve_run_context({key: value})
    except ConfigError:
        return
    if key.endswith("_model") and value.startswith("llamacpp:"):
        assert value == "llamacpp:smollm2-135m" or value == getattr(context, key)
    for server_only in ("home", "sparql_endpoint", "chroma_url", "wikipedia_mcp", "embedding_model"):
        assert getattr(context, server_only) == getattr(resolve_run_context({}), server_only)


@pytest.mark.parametrize("literal", ["'INSERT DATA'", '"DROP ALL"'])
def test_update_words_in_literals_are_read_queries(literal):
    assert check_read_only(f"SELECT ?f WHERE {{ ?f rdfs:label {literal} }}")
