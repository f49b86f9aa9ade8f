"""Check and trim a synopsis before it is tagged: empty, too long, not English."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_WORDS = 400
"""Words of a synopsis that are read: a long text (a novel, a script) is cut to its opening, where the premise is."""
MODEL_WORDS = 150
"""Words the small model reads: its prompt must stay short for a 135M model to follow it."""
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# A request routed here may still carry its instruction ("Tag this synopsis: ..."); it is not part of the plot.
_INSTRUCTION = re.compile(r"^\s*(please\s+)?(tag|classify|genres?\s+(for|of))\b[^:\n]{0,40}:\s*", re.IGNORECASE)
_LATIN = re.compile(r"[a-zA-Z]")
# Frequent English function words: real English prose, even a one-line logline, is full of them.
_ENGLISH = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be been his her their its he she they "
    "it who whom that this these those when while after before into about must has have had not no one two".split()
)
# Function words of other languages written in Latin letters (Spanish, French, Italian, German, Portuguese, Dutch).
_OTHER = frozenset(
    "el la los las del de y que en un una con por para se su sus le les des du et est dans pour qui il lo gli della "
    "di che per non sono der die das und ist ein eine einen zu den von mit auf sich nicht als um o os da do dos na "
    "het een van voor niet".split()
)


@dataclass(frozen=True)
class Synopsis:
    """A synopsis ready to tag, or the reason it cannot be tagged."""

    text: str
    words: int
    truncated: bool = False
    problem: str = ""


def looks_english(text: str) -> bool:
    """Guess whether text is English: mostly Latin letters, and English function words among its words."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return False
    letters = "".join(words)
    if len(_LATIN.findall(letters)) / len(letters) < 0.8:
        return False
    # A few words prove little either way; give short texts the benefit of the doubt.
    if len(words) < 6:
        return True
    english, other = sum(w in _ENGLISH for w in words), sum(w in _OTHER for w in words)
    return english / len(words) >= 0.05 and english > other


def prepare(text: object, max_words: int = MAX_WORDS) -> Synopsis:
    """Clean a synopsis: collapse whitespace, keep its first `max_words` words, and say why it cannot be tagged."""
    words = _INSTRUCTION.sub("", text, count=1).split() if isinstance(text, str) else []
    if not words:
        return Synopsis("", 0, problem="the synopsis is empty")
    kept = words[:max_words]
    synopsis = Synopsis(" ".join(kept), len(kept), truncated=len(words) > max_words)
    if not _WORD.search(synopsis.text):
        return Synopsis(synopsis.text, synopsis.words, problem="the synopsis has no words")
    if not looks_english(synopsis.text):
        return Synopsis(synopsis.text, synopsis.words, synopsis.truncated, problem="the synopsis is not in English")
    return synopsis


def opening(text: str, words: int = MODEL_WORDS) -> str:
    """Return the first `words` words of text."""
    return " ".join(text.split()[:words])
