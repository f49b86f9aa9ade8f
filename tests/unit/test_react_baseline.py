"""The ReAct baseline's reading of a model reply."""

from theoros_agents.evaluation.react_baseline import Step, parse_step


def test_a_final_answer_ends_the_loop():
    step = parse_step("Thought: I know it now.\nFinal Answer: Steven Spielberg directed Jaws.")
    assert step == Step(thought="I know it now.", final="Steven Spielberg directed Jaws.")


def test_an_action_and_its_input_are_read():
    step = parse_step('Thought: look it up\nAction: SPARQL\nAction Input: "SELECT ?x WHERE { ?x ?p ?o }"')
    assert (step.action, step.action_input) == ("sparql", "SELECT ?x WHERE { ?x ?p ?o }")
    assert step.thought == "look it up" and step.final is None


def test_code_fences_punctuation_and_an_invented_observation_are_dropped():
    text = "Action: `search_plots`.\nAction Input: ```\na shark attacks a town\n```\nObservation: Jaws (1975)"
    step = parse_step(text)
    assert (step.action, step.action_input) == ("search_plots", "a shark attacks a town")


def test_a_final_answer_wins_over_an_action():
    step = parse_step("Action: sparql\nAction Input: SELECT\nFinal Answer: Ridley Scott")
    assert step.final == "Ridley Scott" and step.action == ""


def test_a_word_ending_in_action_is_not_an_action():
    step = parse_step("Thought: my reaction: none\nAction: search_plots\nAction Input: a heist")
    assert (step.action, step.action_input) == ("search_plots", "a heist")


def test_a_reply_without_the_format_asks_for_nothing():
    assert parse_step("The movie's director was Christopher Nolan.") == Step()
    assert parse_step("Action: sparql") == Step()


def test_an_action_line_naming_one_tool_in_words_names_that_tool():
    assert parse_step("Action: use the sparql tool\nAction Input: SELECT").action == "sparql"
    assert parse_step("Action: sparql or search_plots\nAction Input: x").action == "sparqlorsearch_plots"
