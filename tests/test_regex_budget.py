"""Every regex a rule pack brings is shape-checked when it loads and searched under one time
budget per rule and draft, whatever detector kind or condition holds it (issue 14, item 1).

`(a+)+$` in a `document` rule's `require_any` loaded and took 11.2 s on 27 a's; `\\w+\\w+\\w+@`
(a safe shape, cubic on a run of letters) as a `proximity` term or in `unless: [{draft: ...}]`
ran over 120 s on a 100 KB draft. Now the first is refused at load, and the others are stopped
after the budget (shortened here) with an error naming the rule, while the run goes on."""
from __future__ import annotations

import time

import pytest

from etiquette_lint import api, regex_safety
from etiquette_lint.config import Config
from etiquette_lint.errors import ConfigError
from etiquette_lint.ruleset import load_ruleset

HEAD = """rules:
  - id: custom.slow
    category: custom
    severity: warning
    message: Slow rule
    explain: A rule for these tests.
"""
EXAMPLES = """    examples:
      fire: ["{fire}"]
      pass: ["{passes}"]
"""
DOCUMENT = HEAD + """    detector:
      kind: document
      require_any: [{{regex: '{regex}'}}]
""" + EXAMPLES
UNLESS = HEAD + """    detector:
      kind: regex
      patterns: ['Dear']
    unless: [{{draft: '{regex}'}}]
""" + EXAMPLES
PROXIMITY = HEAD + """    detector:
      kind: proximity
      terms:
        mail: ['{regex}']
        greeting: ['Dear']
""" + EXAMPLES
SLOW = r"\w+\w+\w+@"  # a safe shape the load check accepts, cubic on a run of letters


def _pack(tmp_path, text: str):
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "slow.yaml").write_text(text, encoding="utf-8")
    return load_ruleset([str(folder)])


def test_a_catastrophic_regex_in_a_document_rule_is_refused_at_load(tmp_path):
    with pytest.raises(ConfigError) as caught:
        _pack(tmp_path, DOCUMENT.format(regex="(a+)+$", fire="Hello", passes="aaa"))
    assert "custom.slow: detector.require_any[0].regex" in str(caught.value) and "exponential time" in str(caught.value)


def _lint_under_budget(tmp_path, monkeypatch, ruleset, seconds: float = 1.0):
    monkeypatch.setattr(regex_safety, "RUN_BUDGET_SECONDS", seconds)
    engine = api.build_engine(Config(), api.LintOptions(), ruleset)
    draft = tmp_path / "long.txt"
    draft.write_text("Dear [Name],\n\n@" + "a" * 100_000 + "\n", encoding="utf-8")  # '@': past the prefilter
    started = time.perf_counter()
    result = api.lint([str(draft)], Config(), engine=engine)
    return result, time.perf_counter() - started


@pytest.mark.parametrize("template", [UNLESS, DOCUMENT, PROXIMITY], ids=["unless-draft", "document", "proximity"])
def test_a_slow_regex_anywhere_in_a_rule_is_stopped_by_the_budget(tmp_path, monkeypatch, template):
    ruleset = _pack(tmp_path, template.format(regex=SLOW, fire="Dear Ana, write to a@b", passes="Hello"))
    result, elapsed = _lint_under_budget(tmp_path, monkeypatch, ruleset)
    assert elapsed < 30, f"{elapsed:.1f} s"
    [problem] = [p for p in result.problems if p.rule == "custom.slow"]
    assert (problem.level, problem.message) == ("error", "rule custom.slow took longer than 1s on this draft; skipped")
    assert "personalisation.placeholder" in {f.rule for f in result.findings}  # the other rules still ran


def test_a_regex_given_to_a_shipped_rule_through_config_options_is_checked(ruleset):
    # The config is user input: its patterns get the load-time check a user's rule pack gets.
    config = Config(options={"desperation.exclamations": {"patterns": ["(a+)+$"]}}, source="cfg.yaml")
    with pytest.raises(ConfigError, match="desperation.exclamations: detector.patterns.0.: can take exponential time"):
        api.build_engine(config, api.LintOptions(), ruleset)


def test_a_slow_signal_in_a_users_pack_is_stopped_by_the_budget(tmp_path, monkeypatch):
    # A pack's `signals:` add to the shipped ones, and the offer and message type are read from
    # them before any rule runs.
    pack = HEAD.replace("custom.slow", "custom.fine") + """    detector:
      kind: regex
      patterns: ['zzz+']
""" + EXAMPLES.format(fire="zzz", passes="Hello") + f"""signals:
  type-follow-up: ['{SLOW}']
  offer-made: ['{SLOW}']
"""
    result, elapsed = _lint_under_budget(tmp_path, monkeypatch, _pack(tmp_path, pack))
    assert elapsed < 30, f"{elapsed:.1f} s"
    [problem] = [p for p in result.problems if "signals" in p.message]
    assert problem.level == "error" and "took longer than 1s on this draft" in problem.message
    assert "personalisation.placeholder" in {f.rule for f in result.findings}  # the rules still ran
