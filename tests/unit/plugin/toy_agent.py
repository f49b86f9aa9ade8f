"""A fifth agent, added through the registry's entry points alone (no edit to Theoros)."""

from langgraph.graph import END, START, StateGraph

from theoros_agents.agents.registry import AgentSpec, Setting
from theoros_agents.state import Finding, SpecialistInput, SpecialistOutput


class TriviaState(SpecialistInput, SpecialistOutput, total=False):
    """Question in, a trivia answer out."""


async def tell_trivia(state: TriviaState) -> dict:
    film = next((e["label"] for e in state.get("entities", []) if e["kind"] == "film"), "films")
    text = f"Trivia about {film}: it has a page in the knowledge graph."
    return {"answer": text, "findings": [Finding(agent="trivia", text=text, result={"film": film}, used_model=False)]}


def build_trivia() -> StateGraph:
    builder = StateGraph(TriviaState, input_schema=SpecialistInput, output_schema=SpecialistOutput)
    builder.add_node(tell_trivia)
    builder.add_edge(START, "tell_trivia")
    builder.add_edge("tell_trivia", END)
    return builder


FILMS = ("Jaws", "Alien", "Rocky", "Heat", "Psycho", "Vertigo", "Casablanca", "Titanic", "Up", "Fargo")
SPEC = AgentSpec(
    name="trivia",
    description="Tells a piece of trivia about a film.",
    build="toy_agent:build_trivia",
    intents=("trivia",),
    mcp_tool="trivia",
    examples={
        "trivia": tuple(
            template.format(film)
            for film in FILMS
            for template in ("Tell me some trivia about {}", "Any fun trivia on {}?", "Give me a trivia fact about {}")
        )
    },
    settings=(Setting("depth", int, 1, "How much trivia to tell.", bounds=(1, 3)),),
)
