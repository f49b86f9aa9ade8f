"""Prompts are data: `prompts/<agent>.yaml`, sections rendered with Jinja2 StrictUndefined."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from theoros_agents.aio import warm_call
from theoros_agents.errors import ConfigError

_PACKAGED = Path(__file__).resolve().parent / "_prompts"
_SOURCE = Path(__file__).resolve().parent.parent / "prompts"


@functools.cache
def _environment() -> Any:
    # Jinja2 is imported when a prompt is first rendered: a question answered without a model needs none.
    import jinja2

    return jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False)


def prompt_dir() -> Path:
    """Return the folder of built-in prompts (inside a wheel, or the source tree)."""
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE


@functools.cache
def prompt_names() -> list[str]:
    """List the built-in prompt names."""
    return sorted(p.stem for p in prompt_dir().glob("*.yaml"))


@functools.lru_cache(maxsize=64)
def load_prompt(name_or_path: str) -> dict[str, str]:
    """Load a prompt file by built-in name or by path; return its sections."""
    path = Path(name_or_path)
    if path.suffix not in {".yaml", ".yml"}:
        path = prompt_dir() / f"{name_or_path}.yaml"
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot load prompt {name_or_path!r}: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ConfigError(f"prompt {name_or_path!r} must map section names to text")
    return data


@functools.lru_cache(maxsize=128)
def _template(name_or_path: str, section: str) -> Any:
    # Compiling a template costs far more than rendering it: compile each section once.
    sections = load_prompt(name_or_path)
    if section not in sections:
        raise ConfigError(f"prompt {name_or_path!r} has no section {section!r}")
    return _environment().from_string(sections[section])


def render(name_or_path: str, section: str, **variables: Any) -> str:
    """Render one section of a prompt; a missing variable is an error, not a blank."""
    import jinja2

    try:
        return _template(name_or_path, section).render(**variables).strip()
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"prompt {name_or_path!r} section {section!r}: {exc.message}") from exc


async def _warm(name_or_path: str, section: str) -> None:
    """Read the prompt file and compile the section on a worker thread the first time; later, nothing to do."""
    await warm_call(("prompt", name_or_path, section), _template, name_or_path, section)


async def arender(name_or_path: str, section: str, **variables: Any) -> str:
    """`render` for async nodes: the prompt file is read on a worker thread once, then served from memory."""
    await _warm(name_or_path, section)
    return render(name_or_path, section, **variables)


def messages(
    name_or_path: str, sections: tuple[str, str] = ("system", "user"), **variables: Any
) -> list[dict[str, str]]:
    """Render two sections, by default `system` and `user`, as the system and user chat messages."""
    system, user = sections
    return [
        {"role": "system", "content": render(name_or_path, system, **variables)},
        {"role": "user", "content": render(name_or_path, user, **variables)},
    ]


async def amessages(
    name_or_path: str, sections: tuple[str, str] = ("system", "user"), **variables: Any
) -> list[dict[str, str]]:
    """`messages` for async nodes: the prompt file is read on a worker thread once, then served from memory."""
    await _warm(name_or_path, sections[0])  # The file is then in memory; the second section only compiles.
    return messages(name_or_path, sections, **variables)
