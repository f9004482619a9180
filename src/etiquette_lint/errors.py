"""The errors a user must fix (a rule, config or suppression problem), each naming file, line and field."""
from __future__ import annotations


class ConfigError(Exception):
    """A rule, config or suppression problem the user must fix: file, line and field named."""

    def __init__(self, path: str, line: int | None, field: str | None, message: str) -> None:
        self.path, self.line, self.field, self.message = path, line, field, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {field + ': ' if field else ''}{message}")


class ConfigErrors(ConfigError):
    """Several problems found in one load (every rule of every pack is checked before stopping),
    so a rule writer fixes them in one pass; the first one gives the file, line and field."""

    def __init__(self, errors: list[ConfigError]) -> None:
        first = errors[0]
        super().__init__(first.path, first.line, first.field, first.message)
        self.errors = errors
        self.args = ("\n".join(str(e) for e in errors),)

    def __str__(self) -> str:
        return self.args[0]


def raise_all(errors: list[ConfigError]) -> None:
    """Raise the one error, or all of them together; nothing when the list is empty."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ConfigErrors(errors)
