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


def _counting_graph(threads: list[int]):
    """Count to a limit from the runtime's context, deciding after each step with an `inline` routing function."""
    from typing import Literal, TypedDict

    from langgraph.graph import END, START, StateGraph
    from langgraph.runtime import Runtime

    from theoros_agents.aio import inline

    class State(TypedDict, total=False):
        n: int
        seen: list[int]

    def step(state: State) -> dict:
        return {"n": state["n"] + 1}

    def decide(state: State, runtime: Runtime[dict]) -> Literal["step", "__end__"]:
        threads.append(threading.get_ident())
        return "step" if state["n"] < runtime.context["limit"] else END

    builder = StateGraph(State, context_schema=dict)
    builder.add_node(step)
    builder.add_edge(START, "step")
    builder.add_conditional_edges("step", inline(decide))  # Targets read from the Literal return type.
    return builder.compile()


async def test_a_routing_function_runs_on_the_loop_with_its_runtime_and_targets():
    threads: list[int] = []
    result = await _counting_graph(threads).ainvoke({"n": 0}, context={"limit": 3})
    assert result["n"] == 3
    assert threads == [threading.get_ident()] * 3
    assert _counting_graph([]).invoke({"n": 0}, context={"limit": 2})["n"] == 2  # The sync path calls it too.


async def test_a_routing_function_is_not_traced_as_a_run_of_its_own():
    from langchain_core.callbacks import BaseCallbackHandler

    class Runs(BaseCallbackHandler):
        def __init__(self) -> None:
            self.names: list[str] = []

        def on_chain_start(self, serialized, inputs, **kwargs) -> None:  # noqa: ANN001 - LangChain's signature
            self.names.append(kwargs.get("name", ""))

    runs = Runs()
    await _counting_graph([]).ainvoke({"n": 0}, {"callbacks": [runs]}, context={"limit": 2})
    assert runs.names.count("step") == 2  # The nodes are still traced...
    assert "decide" not in runs.names  # ...the decisions between them are not.
