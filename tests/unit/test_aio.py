"""A loader's first call runs on a worker thread; once it has succeeded, later calls run inline."""

import threading

import pytest

from theoros_agents.aio import forget, warm_call


def _thread() -> int:
    return threading.get_ident()


async def test_first_call_runs_off_the_loop_then_inline():
    loop_thread = threading.get_ident()
    assert await warm_call(("t", 1), _thread) != loop_thread
    assert await warm_call(("t", 1), _thread) == loop_thread
    assert await warm_call(("t", 2), _thread) != loop_thread  # Another key is another first call.
    forget()
    assert await warm_call(("t", 1), _thread) != loop_thread


async def test_a_failing_first_call_is_tried_off_the_loop_again():
    calls: list[int] = []

    def flaky() -> int:
        calls.append(threading.get_ident())
        if len(calls) == 1:
            raise OSError("disk not ready")
        return len(calls)

    with pytest.raises(OSError):
        await warm_call(("flaky",), flaky)
    assert await warm_call(("flaky",), flaky) == 2
    assert threading.get_ident() not in calls
