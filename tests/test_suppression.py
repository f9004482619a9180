"""Inline suppression: front matter `etiquette-lint: {disable: [...]}` and Markdown comments
`<!-- etiquette-lint disable|enable|disable-next-line ... -->`, applied after detection; a
directive naming an unknown rule or category is itself a finding."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHARED, run_cli
from etiquette_lint.api import lint_text
from etiquette_lint.drafts.directives import read_directives
from etiquette_lint.suppression import UNKNOWN_SUPPRESSION

SALARY = "Could you tell me the salary range for the role?"
CHEERS = "I am so excited!!!"


def _lint(engine, text: str, kind: str = "md"):
    return lint_text(text, path=f"draft.{kind}", kind=kind, engine=engine).findings


def _rules(findings) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in findings if f.rule != "length.too-long"]


def test_without_directives_both_rules_fire(engine):
    rules = {r for _, r in _rules(_lint(engine, f"{SALARY}\n{CHEERS}\n"))}
    assert {"salary.before-offer", "desperation.exclamations"} <= rules


def test_front_matter_disables_a_category_for_the_whole_file(engine):
    text = f"---\netiquette-lint: {{disable: [salary]}}\n---\n{SALARY}\n{CHEERS}\n"
    rules = {r for _, r in _rules(_lint(engine, text))}
    assert "salary.before-offer" not in rules
    assert "desperation.exclamations" in rules


def test_front_matter_accepts_a_single_rule_id_and_txt_drafts(engine):
    text = f"---\netiquette-lint:\n  disable: desperation.exclamations\n---\n{SALARY}\n{CHEERS}\n"
    rules = {r for _, r in _rules(_lint(engine, text, kind="txt"))}
    assert "desperation.exclamations" not in rules and "salary.before-offer" in rules


def test_disable_and_enable_comments_bound_a_region(engine):
    text = "\n".join([
        SALARY,                                                     # 1: fires
        "<!-- etiquette-lint disable salary.before-offer -->",      # 2
        SALARY,                                                     # 3: silenced
        CHEERS,                                                     # 4: other rule, fires
        "<!-- etiquette-lint enable salary.before-offer -->",       # 5
        SALARY,                                                     # 6: fires again
    ]) + "\n"
    found = _rules(_lint(engine, text))
    assert (1, "salary.before-offer") in found and (6, "salary.before-offer") in found
    assert (3, "salary.before-offer") not in found
    assert (4, "desperation.exclamations") in found


def test_disable_on_the_same_line_applies_after_the_comment(engine):
    text = f"{CHEERS} <!-- etiquette-lint disable desperation --> {CHEERS}\n"
    found = [f for f in _lint(engine, text) if f.rule == "desperation.exclamations"]
    assert [f.column for f in found] == [16]


def test_disable_next_line_silences_only_the_next_line(engine):
    text = f"<!-- etiquette-lint disable-next-line salary -->\n{SALARY}\n{SALARY}\n"
    assert [line for line, rule in _rules(_lint(engine, text)) if rule == "salary.before-offer"] == [3]


def test_disable_without_names_silences_everything_and_enable_can_bring_one_back(engine):
    text = f"<!-- etiquette-lint disable -->\n{SALARY}\n{CHEERS}\n<!-- etiquette-lint enable desperation -->\n{SALARY} {CHEERS}\n"
    assert _rules(_lint(engine, text)) == [(5, "desperation.exclamations")]


def test_reason_after_double_dash_and_comma_lists(engine):
    text = f"<!-- etiquette-lint disable salary, desperation.exclamations -- we discussed pay on the call -->\n{SALARY}\n{CHEERS}\n"
    assert _rules(_lint(engine, text)) == []


def test_directives_do_not_shift_positions(engine):
    plain = _lint(engine, f"Hello.\n{CHEERS}\n")
    commented = _lint(engine, f"Hello. <!-- etiquette-lint disable salary -->\n{CHEERS}\n")
    pick = lambda fs: [(f.line, f.column, f.end_column) for f in fs if f.rule == "desperation.exclamations"]  # noqa: E731
    assert pick(plain) == pick(commented) == [(2, 16, 19)]


def test_unknown_names_are_reported_where_they_are_written(engine):
    text = f"---\netiquette-lint: {{disable: [salery]}}\n---\n<!-- etiquette-lint disable salary.befor-offer -->\n{SALARY}\n"
    unknown = [f for f in _lint(engine, text) if f.rule == UNKNOWN_SUPPRESSION]
    assert [(f.line, f.column) for f in unknown] == [(2, 1), (4, 1)]
    assert "unknown rule or category 'salery'" in unknown[0].message and "did you mean 'salary'?" in unknown[0].message
    assert "'salary.befor-offer'" in unknown[1].message and "'salary.before-offer'" in unknown[1].message
    assert unknown[0].category == "etiquette-lint" and unknown[0].severity.value == "warning"
    assert unknown[1].end_column == len("<!-- etiquette-lint disable salary.befor-offer -->") + 1


def test_unknown_action_is_reported(engine):
    text = f"<!-- etiquette-lint disabel salary -->\n{SALARY}\n"
    findings = _lint(engine, text)
    unknown = [f for f in findings if f.rule == UNKNOWN_SUPPRESSION]
    assert len(unknown) == 1 and "'disabel'" in unknown[0].message
    assert any(f.rule == "salary.before-offer" for f in findings)  # a typo suppresses nothing


def test_names_known_but_not_selected_are_not_unknown(tmp_path):
    (tmp_path / "a.md").write_text(f"<!-- etiquette-lint disable criticism -->\n{CHEERS}\n", encoding="utf-8")
    run = run_cli("--format", "json", "--select", "desperation.exclamations", "a.md", cwd=tmp_path)
    assert [f["rule"] for f in json.loads(run.stdout)] == ["desperation.exclamations"]


def test_cli_unknown_suppression_fails_the_run_and_validates_as_sarif(tmp_path):
    (tmp_path / "a.md").write_text("<!-- etiquette-lint disable no-such-rule -->\nThank you, Dana.\n", encoding="utf-8")
    text = run_cli("--select", "desperation", "a.md", cwd=tmp_path)
    assert text.returncode == 1
    assert f"a.md:1:1: warning [{UNKNOWN_SUPPRESSION}] Suppression names unknown rule or category 'no-such-rule'" in text.stdout.decode()
    schema_path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if schema_path.is_file():
        import jsonschema

        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        log = json.loads(run_cli("--format", "sarif", "--select", "desperation", "a.md", cwd=tmp_path).stdout)
        jsonschema.validators.validator_for(schema)(schema).validate(log)
        rules = log["runs"][0]["tool"]["driver"]["rules"]
        result = log["runs"][0]["results"][0]
        assert rules[result["ruleIndex"]]["id"] == UNKNOWN_SUPPRESSION


def test_cli_suppression_end_to_end(tmp_path):
    (tmp_path / "a.md").write_text(
        "Hi Dana,\n<!-- etiquette-lint disable-next-line personalisation.placeholder -->\n"
        "Thanks for the [Job Title] interview!!!\n", encoding="utf-8")
    run = run_cli("--format", "json", "--select", "personalisation.placeholder,desperation.exclamations", "a.md", cwd=tmp_path)
    assert [(f["line"], f["rule"]) for f in json.loads(run.stdout)] == [(3, "desperation.exclamations")]


def test_comments_inside_html_are_not_mistaken_for_directives():
    assert read_directives("<!-- just a note about etiquette-lint -->\n<!-- etiquette-linting -->\n") == ()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("ab ,-\n\r<!>\t") + ["etiquette-lint", "disable", "enable", "disable-next-line",
                                                         "<!--", "-->", "é", "---\n"]), max_size=60).map("".join))
def test_directive_reader_never_fails_and_points_inside_the_file(text):
    lines = text.split("\n")
    for directive in read_directives(text):
        assert 1 <= directive.line <= directive.end_line <= len(lines)
        assert 1 <= directive.column <= len(lines[directive.line - 1]) + 1
        assert all(name.strip() and "," not in name for name in directive.names)
