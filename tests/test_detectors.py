"""Each detector kind through a small rule written for the test, on the real pipeline."""
from __future__ import annotations

import textwrap

import pytest

from etiquette_lint.api import lint_text
from etiquette_lint.config import Config
from etiquette_lint.engine import Engine
from etiquette_lint.ruleset import RuleSet, load_ruleset
from etiquette_lint.errors import ConfigError


def engine_for(tmp_path, rule_yaml: str, gating: bool = True) -> Engine:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "test.yaml").write_text("rules:\n" + textwrap.indent(textwrap.dedent(rule_yaml), "  "))
    full = load_ruleset([str(folder)])
    mine = [r for r in full.rules if r.id.startswith("kind.")]
    return Engine(RuleSet(mine, full.signals, full.files), gating=gating)


def spans(engine: Engine, text: str, **context) -> list[str]:
    if context:
        import yaml

        text = "---\n" + yaml.safe_dump(context) + "---\n" + text
    result = lint_text(text, config=Config(), engine=engine)
    return [f.message.split(": ", 1)[1].strip('"') if ": " in f.message else f.message for f in result.findings]


COMMON = """
  severity: warning
  message: m
  explain: e
  examples: {fire: ["x"], pass: ["y"]}
"""


def rule(rule_id: str, detector: str, extra: str = "") -> str:
    return f"- id: {rule_id}\n" + textwrap.indent(textwrap.dedent(COMMON).strip() + "\n" + textwrap.dedent(detector).strip() + "\n" + textwrap.dedent(extra), "  ")


@pytest.mark.parametrize("gating", [True, False])
def test_phrases_on_lemmas_match_inflections(tmp_path, gating):
    engine = engine_for(tmp_path, rule("kind.beg", "detector: {kind: phrases, attr: LEMMA, phrases: [beg you]}"), gating)
    assert spans(engine, "I begged you. She begs you. I'm begging you.") == ["begged you", "begs you", "begging you"]


def test_phrases_on_lower(tmp_path):
    engine = engine_for(tmp_path, rule("kind.ping", "detector: {kind: phrases, phrases: [Ping Again]}"))
    assert spans(engine, "Just to PING AGAIN, and ping again.") == ["PING AGAIN", "ping again"]


def test_tokens_with_pos(tmp_path):
    engine = engine_for(tmp_path, rule("kind.paynoun", """
        detector:
          kind: tokens
          patterns: [[{LEMMA: pay, POS: NOUN}]]
    """))
    assert spans(engine, "The pay is fine. We pay attention.") == ["pay"]


def test_dependency_pattern(tmp_path):
    engine = engine_for(tmp_path, rule("kind.needjob", """
        detector:
          kind: dependency
          patterns:
            - - {RIGHT_ID: need, RIGHT_ATTRS: {LEMMA: need}}
              - {LEFT_ID: need, REL_OP: ">", RIGHT_ID: obj, RIGHT_ATTRS: {DEP: dobj, LEMMA: {IN: [job, role]}}}
    """))
    assert spans(engine, "I really need this job. I need to read up on Kafka for the role.") == ["need this job"]


def test_regex_scope_and_named_group(tmp_path):
    engine = engine_for(tmp_path, rule("kind.xxx", "detector: {kind: regex, patterns: ['on (?P<hit>XXX)'], scope: all}"))
    assert spans(engine, "See you on XXX.\n\nBest,\nSam, on XXX") == ["XXX", "XXX"]
    body_only = engine_for(tmp_path, rule("kind.xxx", "detector: {kind: regex, patterns: ['on (?P<hit>XXX)']}"))
    assert spans(body_only, "See you on XXX.\n\nBest,\nSam, on XXX") == ["XXX"]


def test_metric_words_and_readability_offline(tmp_path):
    engine = engine_for(tmp_path, rule("kind.long", "detector: {kind: metric, metric: words, max: 5}") + rule(
        "kind.hard", "detector: {kind: metric, metric: flesch_reading_ease, min: 30}"))
    result = lint_text("Notwithstanding organisational considerations, interdepartmental harmonisation necessitates reevaluation.", config=Config(), engine=engine)
    messages = sorted(f.message for f in result.findings)
    assert messages[0].startswith("m (flesch reading ease is") and "below 30" in messages[0]
    assert messages[1].startswith("m (words is 7, above 5)")


def test_document_require_any(tmp_path):
    engine = engine_for(tmp_path, rule("kind.nothanks", "detector: {kind: document, require_any: [{regex: thank}]}"))
    assert spans(engine, "Hi Ana,\n\nGood to meet you.") == ["Hi Ana,"]
    assert spans(engine, "Hi Ana,\n\nThanks for today.") == []


def test_proximity_clause_and_negatable(tmp_path):
    engine = engine_for(tmp_path, rule("kind.dig", """
        detector:
          kind: proximity
          within: clause
          max_hops: 4
          negatable: [bad]
          terms:
            who: ['\\bmy boss\\b']
            bad: ['\\bclueless\\b']
    """))
    assert spans(engine, "My boss is clueless.") == ["My boss is clueless"]
    assert spans(engine, "My boss is not clueless.") == []
    assert spans(engine, "My boss is great, but the vendor was clueless about our needs and their API.") == []


def test_proximity_anchored_terms_count_after_their_anchor_in_the_paragraph(tmp_path):
    engine = engine_for(tmp_path, rule("kind.dig", """
        detector:
          kind: proximity
          within: clause
          trigger_term: bad
          terms:
            who: ['\\bmy boss\\b']
            bad: ['\\bclueless\\b']
          anchored:
            who:
              anchor: ['\\bmy (current )?job\\b']
              patterns: ['\\bthe manager\\b']
              unless: ['\\byou\\b']
    """))
    assert spans(engine, "At my current job I run reports. The manager is clueless.") == ["The manager is clueless"]
    assert spans(engine, "I run reports.\n\nThe manager is clueless.") == []  # no anchor before it
    assert spans(engine, "At my job I run reports.\n\nThe manager is clueless.") == []  # anchor in another paragraph
    assert spans(engine, "At my job I run reports. The manager you hired is clueless.") == []  # the reader's side


def test_proximity_target_that_is_a_clause_links_to_its_main_clause(tmp_path):
    engine = engine_for(tmp_path, rule("kind.dig", """
        detector:
          kind: proximity
          within: clause
          terms:
            who: ['\\bwhere I work\\b']
            bad: ['\\ba mess\\b']
          triggers: ['mess']
    """))
    assert spans(engine, "Where I work now, the roadmap is a mess.") == ["Where I work now, the roadmap is a mess"]


def test_cadence_uses_siblings_and_thresholds(tmp_path):
    from etiquette_lint.api import LintOptions, lint

    engine = engine_for(tmp_path, rule("kind.cadence", "detector: {kind: cadence, min_gap_days: 5}"))
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "1.txt").write_text("---\nto: a@x.example\ntype: thank-you\ndate: 2026-11-03\n---\nThanks.\n")
    (folder / "2.txt").write_text("---\nto: a@x.example\ntype: follow-up\ndate: 2026-11-05\n---\nAny update?\n")
    result = lint([str(folder / "2.txt")], Config(), LintOptions(), engine=engine)
    [finding] = result.findings
    assert finding.line == 4 and finding.column == 1 and finding.end_column == len("date: 2026-11-05") + 1
    assert "2 days after the thank-you of 2026-11-03" in finding.message


def test_unknown_kind_and_bad_parameter_name_file_and_line(tmp_path):
    with pytest.raises(ConfigError) as error:
        engine_for(tmp_path, rule("kind.bad", "detector: {kind: sentiment}"))
    assert "test.yaml:" in str(error.value) and "unknown detector kind 'sentiment'" in str(error.value)
    with pytest.raises(ConfigError) as error:
        engine_for(tmp_path, rule("kind.bad", "detector: {kind: regex, patterns: ['a'], colour: red}"))
    assert "kind.bad: detector.colour" in str(error.value)
