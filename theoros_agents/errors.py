"""Error types raised by Theoros; each message quotes the offending value."""


class TheorosError(Exception):
    """Base class for every error Theoros reports to a user."""


class ConfigError(TheorosError):
    """A setting is missing, malformed or names something unknown."""


class ModelNotAvailable(TheorosError):
    """A model id names a provider or file that cannot be used here."""


class InvalidQuestion(TheorosError):
    """The question cannot be asked (empty, too long, not text)."""


class StoreError(TheorosError):
    """A knowledge store cannot be opened, read or written."""


class QueryRejected(TheorosError):
    """A SPARQL query is malformed or would write, so it is never executed."""


class CorruptInput(TheorosError):
    """An input file cannot be parsed; the message names the file and line."""
