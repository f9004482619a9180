"""Term lists as rule data: lemma and lower lists, the term syntax, {@list} in regexes, signals
built from lists, marked examples, --explain of a list, and errors that name file and line.

Each test writes a real user rule folder and runs the real command or the real pipeline."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli

from etiquette_lint.lexicons import Term, parse_term, term_trigger
from etiquette_lint.ruleset import load_ruleset
from etiquette_lint.errors import ConfigError

MESS_WORDS = """\
match: lemma
about: Words that judge how a workplace is run.
terms:
  - blame
  - take (all) (the) credit
  - term: two-faced
    note: the tokenizer splits it in three
    source: tests
  - micromanag*
  - no idea|clue what|how
  - keep ... in the dark
"""

GREETINGS = """\
match: lower
about: Greetings that name no one.
terms:
  - dear sir|madam
  - to whom it may concern
  - hello there
"""

PACK = r"""
signals:
  greeting-without-name:
    lexicons: [greetings]
rules:
  - id: tone.mess
    severity: warning
    message: Mess
    explain: Words from a lemma list.
    detector:
      kind: terms
      lexicons: [mess-words]
    examples:
      fire:
        - "He <marker>blamed</marker> everyone for the outage."
        - "She <marker>took all the credit</marker> for it."
        - "He was <marker>two-faced</marker> about it."
        - "They <marker>micromanaged</marker> us."
        - "They had <marker>no clue how</marker> to plan."
        - "They <marker>kept us completely in the dark</marker>."
      pass:
        - "We sat in the dark room and kept notes."
  - id: tone.greeting
    severity: warning
    message: Greeting
    explain: A lower list inside a shape regex, silenced through a named signal.
    detector:
      kind: regex
      ignore_case: true
      patterns: ['\A\s*(?P<hit>{@greetings}),']
    unless:
      - draft: {signal: never-said}
    examples:
      fire: ["<marker>To whom it may concern</marker>, thank you."]
      pass: ["Hello Ann, to whom it may concern is a phrase."]
  - id: tone.signal
    severity: warning
    message: Signal
    explain: A named signal as a condition.
    detector:
      kind: terms
      match: lower
      terms: [thank you]
    require:
      - sentence: {signal: greeting-without-name}
    examples:
      fire: ["Dear Sir, <marker>thank you</marker>."]
      pass: ["Dear Ann, thank you."]
"""

NEVER = """\
signals:
  never-said: ['\\bxyzzy\\b']
"""


@pytest.fixture
def folder(tmp_path) -> Path:
    rules = tmp_path / "my-rules"
    (rules / "lexicons").mkdir(parents=True)
    (rules / "lexicons" / "mess-words.yaml").write_text(MESS_WORDS)
    (rules / "lexicons" / "greetings.yaml").write_text(GREETINGS)
    (rules / "pack.yaml").write_text(PACK)
    (rules / "never.yaml").write_text(NEVER)
    return rules


def test_a_user_pack_with_its_own_lists_passes_its_marked_examples(folder):
    result = run_cli("--test-rules", str(folder.name), cwd=folder.parent)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert result.stdout.decode().strip().endswith("11 passed, 0 failed")


def test_a_finding_off_the_marked_words_fails_the_example(folder):
    pack = folder / "pack.yaml"
    pack.write_text(PACK.replace('"They <marker>micromanaged</marker> us."', '"They micromanaged <marker>us</marker>."'))
    result = run_cli("--test-rules", str(folder.name), cwd=folder.parent)
    assert result.returncode == 1
    assert "fired, but not on the marked words of fire example: 'They micromanaged us.'" in result.stdout.decode()


def test_lemma_list_finds_inflections_and_reports_the_words(folder, tmp_path):
    (tmp_path / "cfg.yaml").write_text("rules: [my-rules]\nselect: [tone]\n")
    (tmp_path / "draft.txt").write_text("Dear Ann,\nMy boss blames us and micromanages everything.\n")
    result = run_cli("--no-cache", "--config", "cfg.yaml", "draft.txt", cwd=tmp_path)
    out = result.stdout.decode()
    assert 'draft.txt:2:9: warning [tone.mess] Mess: "blames"' in out
    assert 'draft.txt:2:23: warning [tone.mess] Mess: "micromanages"' in out


def test_explain_names_the_lists_and_prints_a_list_whole(folder, tmp_path):
    (tmp_path / "cfg.yaml").write_text("rules: [my-rules]\n")
    rule = run_cli("--config", "cfg.yaml", "--explain", "tone.mess", cwd=tmp_path).stdout.decode()
    assert "mess-words (6 terms, matched on lemma): blame, take (all) (the) credit, two-faced, micromanag*, no idea|clue what|how, ..." in rule
    listed = run_cli("--config", "cfg.yaml", "--explain", "mess-words", cwd=tmp_path).stdout.decode()
    assert listed.startswith("mess-words: 6 terms, matched on lemma")
    assert "  two-faced  (the tokenizer splits it in three; source: tests)" in listed
    signal = run_cli("--config", "cfg.yaml", "--explain", "tone.signal", cwd=tmp_path).stdout.decode()
    assert "Only when: the sentence has signal 'greeting-without-name'" in signal


@pytest.mark.parametrize("term, error", [
    ("... the dark", "'...' cannot start a term"),
    ("(maybe)", "at least one word that is not optional"),
    ("a <NOUNISH>", "names a part of speech"),
    ("bad{word}", "is not a word"),
])
def test_malformed_terms_are_refused(term, error):
    with pytest.raises(ConfigError) as caught:
        parse_term(term, "lemma", lambda message: ConfigError("x.yaml", 3, "terms[0]", message))
    assert error in str(caught.value) and str(caught.value).startswith("x.yaml:3: terms[0]:")


def test_a_lemma_trigger_finds_irregular_forms():
    trigger = re.compile(term_trigger(Term("steal credit", parse_term("steal credit", "lemma", ValueError))), re.I)
    assert trigger.search("he stole it") is None  # the rarest word is the gate: "credit"
    trigger = re.compile(term_trigger(Term("steal", parse_term("steal", "lemma", ValueError))), re.I)
    assert all(trigger.search(f"he {form} it") for form in ("steals", "stole", "stolen", "stealing"))


def test_every_broken_rule_and_list_reference_is_reported_at_once(folder, tmp_path):
    (folder / "pack.yaml").write_text(PACK.replace("lexicons: [mess-words]", "lexicons: [mess-wordz]")
                                      .replace("{@greetings}", "{@greetingz}"))
    (tmp_path / "cfg.yaml").write_text("rules: [my-rules]\n")
    (tmp_path / "draft.txt").write_text("Hello.\n")
    result = run_cli("--no-cache", "--config", "cfg.yaml", "draft.txt", cwd=tmp_path)
    err = result.stderr.decode().splitlines()
    assert result.returncode == 2
    assert any("tone.mess: detector.lexicons[0]: no lexicon named 'mess-wordz'" in line for line in err), err
    assert any("{@greetingz} names no lexicon" in line for line in err), err
    assert all(line.startswith("etiquette-lint: error: ") for line in err)


def test_a_lemma_list_cannot_stand_inside_a_text_regex(folder):
    (folder / "pack.yaml").write_text(PACK.replace("{@greetings}", "{@mess-words}"))
    with pytest.raises(ConfigError, match="needs `match: lower`"):
        load_ruleset([str(folder)])


def test_a_condition_naming_an_unknown_signal_is_an_error(folder):
    (folder / "pack.yaml").write_text(PACK.replace("{signal: never-said}", "{signal: nowhere}"))
    with pytest.raises(ConfigError, match="no signal named 'nowhere'"):
        load_ruleset([str(folder)])


VALENCE_PACK = r"""
rules:
  - id: tone.judged
    severity: warning
    message: Judged
    explain: A judgement the valence lexicon rates, said of the writer's team.
    detector:
      kind: proximity
      within: clause
      terms:
        target: {terms: [my team|boss]}
        judgement:
          valence: {at-most: -2.0, pos: [ADJ, NOUN, VERB], unless: [feelings], max-hops: 2}
    examples:
      fire:
        - "To be honest, <marker>my boss</marker> is <marker>abusive</marker>."
        - "<marker>My team</marker> is frankly <marker>pathetic</marker>."
      pass:
        - "My team survived a terrible quarter."
        - "My team was devastated by the news."
        - "My boss is wonderful."
"""


def test_a_valence_judgement_counts_only_said_of_the_target(tmp_path):
    rules = tmp_path / "my-rules"
    (rules / "lexicons").mkdir(parents=True)
    (rules / "lexicons" / "feelings.yaml").write_text("match: lemma\nterms: [devastated, sad]\n")
    (rules / "pack.yaml").write_text(VALENCE_PACK)
    result = run_cli("--test-rules", "my-rules", cwd=tmp_path)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert result.stdout.decode().strip().endswith("5 passed, 0 failed")


def test_shipped_lists_are_read_only_when_used_and_read_the_same():
    """Loading the rules reads only the shipped lists whose match mode decides how a rule runs
    (the rest are read on first use, so a cached run parses none of them); a list read late
    holds exactly what reading it at once gives."""
    from etiquette_lint.lexicons import builtin_lexicon_files, load_lexicons

    rules = load_ruleset()
    read_at_load = [lex.name for lex in rules.lexicons.values() if lex._read is None]
    assert len(read_at_load) < len(rules.lexicons) // 4, read_at_load
    files = builtin_lexicon_files()
    eager, lazy = load_lexicons(files), load_lexicons(files, lazy=files)
    assert all(lazy[name]._read is not None for name in lazy)
    for name, lexicon in eager.items():
        assert (lazy[name].match, lazy[name].about, lazy[name].terms) == (lexicon.match, lexicon.about, lexicon.terms), name
        assert lazy[name].source() == lexicon.source()


def test_a_list_referenced_in_a_shipped_regex_expands_when_first_searched():
    from etiquette_lint.lazyregex import LazyRegex

    rules = load_ruleset()
    lazy = [p for rule in rules.rules for p in getattr(rule.detector, "compiled", []) if isinstance(p, LazyRegex)]
    named = [p for p in lazy if p._expand is not None]
    assert named, "some shipped regex names a term list"
    pattern = named[0]
    assert "{@" not in pattern.pattern and pattern._expand is None
    assert pattern.compiled.pattern == pattern.pattern  # what is searched is the expanded source
