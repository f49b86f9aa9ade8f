"""Keep secrets out of what Theoros writes: records, answers, JSON output, logs and saved evaluation runs.

A secret is the value of an environment variable whose name says it holds one (…_KEY, …_KEYS,
…_TOKEN, …_SECRET, …_PASSWORD), and the password part of any URL. Errors from providers sometimes
quote the key they were given; everything that reaches a user or a file goes through `redact`.
"""

from __future__ import annotations

import os
import re

MASK = "[redacted]"
_SECRET_NAME = re.compile(r"(KEY|KEYS|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://[^:/@\s]+:)(?P<password>[^@/\s]+)@", re.IGNORECASE)
MIN_LENGTH = 6
"""Shorter values (a flag like '1') would mask ordinary words."""


def secret_values() -> list[str]:
    """The secrets in the environment, longest first (a key that contains another is masked whole)."""
    values: set[str] = set()
    for name, value in os.environ.items():
        if _SECRET_NAME.search(name):
            values.update(part.strip() for part in value.split(",") if len(part.strip()) >= MIN_LENGTH)
    return sorted(values, key=len, reverse=True)


def redact(text: str) -> str:
    """Mask every secret value and URL password in `text`."""
    if not text:
        return text
    for value in secret_values():
        text = text.replace(value, MASK)
    return _URL_PASSWORD.sub(lambda m: m.group("scheme") + MASK + "@", text)
