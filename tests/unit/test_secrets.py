"""A planted API key never shows in records, answers, --json output or error lines."""

import json

from tests.fakes import scripted
from theoros_agents.api import Theoros
from theoros_agents.cli import main
from theoros_agents.models.fake import RAISE
from theoros_agents.secrets import MASK, redact

KEY = "sk-or-planted-7f3a9c21"


def test_redact_masks_secret_variables_and_url_passwords(monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    monkeypatch.setenv("THEOROS_API_KEYS", "first-key-123,second-key-456")
    monkeypatch.setenv("THEOROS_DEBUG", "1")
    text = f"401 for {KEY}; keys first-key-123 second-key-456; postgresql://theoros:hunter22@db:5432/x; debug 1"
    assert redact(text) == f"401 for {MASK}; keys {MASK} {MASK}; postgresql://theoros:{MASK}@db:5432/x; debug 1"


async def test_a_provider_error_quoting_the_key_is_masked_everywhere(monkeypatch, home):
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    model_id, _ = scripted(f"{RAISE}AuthenticationError: invalid api key {KEY}")
    theoros = Theoros(home=str(home), supervisor_model=model_id, router_threshold=1.01)
    answer = await theoros.aask("Who directed Jaws?")
    dumped = json.dumps(answer.to_dict())
    assert answer.model_errors and KEY not in dumped and MASK in dumped
    assert "Steven Spielberg" in answer.answer  # the classifier's route stands


def test_the_cli_never_prints_the_key(monkeypatch, home, capsys):
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    model_id, _ = scripted(f"{RAISE}AuthenticationError: invalid api key {KEY}")
    argv = ["ask", "--json", "--home", str(home), "--model", f"supervisor={model_id}", "--set", "router_threshold=1.01"]
    code = main([*argv, "Who directed Jaws?"])
    out, err = capsys.readouterr()
    assert code == 3 and KEY not in out + err and MASK in out + err
    code = main(["ask", "--home", str(home), "--set", f"max_rows={KEY}", "q"])  # the error quotes the value
    out, err = capsys.readouterr()
    assert code == 2 and KEY not in out + err and "'max_rows' must be int" in err
