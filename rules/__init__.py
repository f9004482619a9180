"""The shipped rule packs: YAML files read as package data (see ruleset.py)."""
