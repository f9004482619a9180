"""etiquette-lint: a linter for the messages job seekers send after an interview."""

__version__ = "0.1.0"
