"""YAML aliases are counted before the data is used (issue 14, item 4, the YAML half).

A few hundred bytes of nested aliases stand for hundreds of millions of nodes: loading shares
them, but anything that walks the data (validation, the cache key) expands them, which took a
397-byte config 5 minutes and 8 GB. The document is composed, its nodes are counted as the
aliases expand, and past a small budget it is refused before anything is built from it: a rule
pack or config with exit 2 naming the file and the anchor's line, front matter with a warning
(the draft is still linted, without that context)."""
from __future__ import annotations

import time

import pytest

from etiquette_lint.drafts.frontmatter import parse_front_matter
from etiquette_lint.errors import ConfigError
from etiquette_lint.ruleset import load_ruleset
from etiquette_lint.yamlsource import NODE_BUDGET, load_located, load_located_file

RULE = """rules:
  - id: mine.thanks
    category: thanks
    severity: info
    message: Says thanks.
    explanation: Test rule.
    detector: {kind: phrases, phrases: [thank you]}
    examples:
      fire: ["Thank you for the call."]
      pass: ["See you soon."]
"""


def laughs(indent: str = "", levels: int = 9) -> str:
    """`levels` levels of nine-fold aliases under `indent`: 9**levels leaves from a few hundred bytes."""
    lines = [f"{indent}a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        lines.append(f"{indent}a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_a_rule_file_with_an_alias_bomb_is_refused_naming_the_anchor(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text("notes:\n" + laughs("  ") + RULE, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_located_file(path, "rule file")
    assert caught.value.line == 2 and f"past {NODE_BUDGET:,} nodes" in str(caught.value)


def test_a_rule_pack_with_an_alias_bomb_in_a_rule_fails_to_load_at_once(tmp_path):
    (tmp_path / "mine.yaml").write_text(RULE.replace("    explanation: Test rule.\n",
                                                     "    explanation: Test rule.\n    notes:\n" + laughs("      ")),
                                        encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ConfigError, match="aliases expand"):
        load_ruleset([str(tmp_path)])
    assert time.perf_counter() - started < 30


def test_the_reported_config_bomb_is_refused_by_the_loader(tmp_path):
    config = "options:\n  salary:\n" + laughs("    ")
    assert len(config.encode()) < 600
    with pytest.raises(ConfigError, match=f"past {NODE_BUDGET:,} nodes"):
        load_located(config, ".etiquette-lint.yaml", node_budget=NODE_BUDGET)


def test_an_alias_inside_itself_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("loop: &loop [1, *loop]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="inside itself"):
        load_located_file(path, "rule file")


def test_aliases_within_the_budget_load_as_before(tmp_path):
    path = tmp_path / "shared.yaml"
    path.write_text("base: &base {severity: info, words: [a, b, c]}\none: *base\ntwo: {<<: *base, severity: error}\n"
                    + laughs("", levels=3), encoding="utf-8")
    data = load_located_file(path, "rule file")
    assert data["one"] == data["base"] and data["two"]["severity"] == "error" and data["two"]["words"] == ["a", "b", "c"]
    assert data.line_of("two") == 3 and len(data["a2"][0][0]) == 9


def test_front_matter_with_an_alias_bomb_is_ignored_with_a_warning_on_the_anchor():
    text = "---\nto: Ana\n" + laughs() + "date: *a8\n---\nDear [Name],\n"
    started = time.perf_counter()
    front = parse_front_matter(text)
    assert time.perf_counter() - started < 5
    [(line, message)] = front.problems
    assert line == 3 and f"aliases expand past {NODE_BUDGET:,} nodes" in message and "context ignored" in message
    assert front.context.to is None and front.end == text.index("Dear")


def test_front_matter_aliases_within_the_budget_still_apply():
    front = parse_front_matter("---\nto: &who Ana Silva <ana@corp.example>\ncompany: *who\n---\nHi Ana,\n")
    assert front.problems == [] and front.context.to == front.context.company == "Ana Silva <ana@corp.example>"
