import json

import pytest

from tests.fakes import scripted
from theoros_agents.agents.judge.schema import ScoreReply
from theoros_agents.models import ask_structured, load_chat_model
from theoros_agents.models.structured import parse_reply

# What small models write: a line break typed straight into the JSON string, not escaped as \n.
RAW_NEWLINE = '{"reason": "The answer names the director.\nIt cites the query.", "score": 4}'


def test_a_raw_line_break_inside_a_string_is_accepted():
    with pytest.raises(json.JSONDecodeError):
        json.loads(RAW_NEWLINE)  # the strict parser rejects it: the case this test is about
    reply = parse_reply(RAW_NEWLINE, ScoreReply)
    assert reply.score == 4 and reply.reason == "The answer names the director.\nIt cites the query."


def test_a_raw_tab_and_a_fenced_reply_parse():
    reply = parse_reply('```json\n{"reason": "short\tand right", "score": "5"}\n```', ScoreReply)
    assert reply.score == 5 and reply.reason == "short\tand right"


def test_broken_json_is_still_an_error():
    with pytest.raises(ValueError, match="does not match ScoreReply"):
        parse_reply('{"reason": "unterminated, "score": 4}', ScoreReply)


async def test_ask_structured_returns_the_verdict_not_an_invalid_output():
    model_id, _ = scripted(RAW_NEWLINE)
    reply = await ask_structured(load_chat_model(model_id, 0.0), [{"role": "user", "content": "grade"}], ScoreReply)
    assert reply.error == "" and reply.value is not None and reply.value.score == 4


class _Provider:
    """A provider whose call raises its own TimeoutError (a socket's), or waits past our limit."""

    def __init__(self, wait: float) -> None:
        self.wait = wait

    async def ainvoke(self, messages: object) -> object:
        import asyncio

        if not self.wait:
            raise TimeoutError("read timed out")
        await asyncio.sleep(self.wait)
        raise AssertionError("the call should have been cut off")


async def test_our_time_limit_and_a_providers_timeout_are_told_apart():
    from theoros_agents.models.structured import _call

    ours = await _call(_Provider(wait=5.0), [], timeout=0.05)
    assert ours.error == "model call timed out after 0.05 s"
    theirs = await _call(_Provider(wait=0.0), [], timeout=5.0)
    assert theirs.error == "model call failed: TimeoutError: read timed out"
