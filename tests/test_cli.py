"""The command as users run it: formats, exit codes, selection, model and config errors."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, run_cli

EXAMPLES = ROOT / "examples" / "drafts"


def test_examples_folder_fails_with_linter_style_lines():
    result = run_cli(str(EXAMPLES), cwd=ROOT)
    out = result.stdout.decode()
    assert result.returncode == 1, result.stderr
    lines = out.strip().splitlines()
    assert lines[-1].endswith("files.") and "problems" in lines[-1]
    for line in lines[:-1]:
        if line.startswith("  help: "):  # the finding's suggestion, under it
            continue
        path, line_no, column, rest = line.split(":", 3)
        assert Path(ROOT / path).exists() and int(line_no) > 0 and int(column) > 0
        assert rest.split()[0] in ("error", "warning", "info") and "[" in rest
    assert "\033[" not in out  # no colour when not a terminal


def test_good_draft_exits_zero():
    result = run_cli(str(EXAMPLES / "good-thank-you.txt"), cwd=ROOT)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert result.stdout.decode().strip() == "No problems in 1 draft."


def test_json_format_has_the_contract_fields():
    result = run_cli("--format", "json", str(EXAMPLES), cwd=ROOT)
    findings = json.loads(result.stdout)
    assert result.returncode == 1 and findings
    for finding in findings:
        assert {"path", "line", "column", "end_line", "end_column", "rule", "category", "severity", "message"} <= set(finding)
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"])
        assert finding["rule"].split(".")[0] == finding["category"]
    assert findings == sorted(findings, key=lambda f: (f["path"], f["line"], f["column"], f["rule"], f["end_line"], f["end_column"], f["message"]))


def test_select_ignore_longest_prefix_wins():
    both = run_cli("--format", "json", "--select", "salary", str(EXAMPLES), cwd=ROOT)
    assert {f["category"] for f in json.loads(both.stdout)} == {"salary"}
    none = run_cli("--format", "json", "--select", "salary", "--ignore", "salary.before-offer", str(EXAMPLES), cwd=ROOT)
    assert json.loads(none.stdout) == [] and none.returncode == 0
    more = run_cli("--format", "json", "--ignore", "personalisation", "--select", "personalisation.placeholder", str(EXAMPLES), cwd=ROOT)
    assert {f["rule"] for f in json.loads(more.stdout)} == {"personalisation.placeholder"}


def test_fail_on_error_ignores_warnings(tmp_path):
    draft = tmp_path / "a.txt"
    draft.write_text("Hi Ana,\n\nThanks for the chat about Kafka. What is the salary range?\n")
    assert run_cli(str(draft)).returncode == 1
    assert run_cli("--fail-on", "error", str(draft)).returncode == 0


def test_missing_path_is_a_usage_error(tmp_path):
    result = run_cli(str(tmp_path / "nope.txt"))
    assert result.returncode == 2
    assert b"no such file" in result.stderr and b"Traceback" not in result.stderr


def test_missing_model_is_one_line_exit_2(tmp_path):
    draft = tmp_path / "a.txt"
    draft.write_text("Hi Ana, what is the salary range?\n")
    result = run_cli("--model", "en_core_web_nonexistent", str(draft))
    assert result.returncode == 2
    err = result.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "en_core_web_nonexistent" in err and "not installed" in err


def test_config_unknown_key_names_file_and_key(tmp_path):
    (tmp_path / ".etiquette-lint.yaml").write_text("select: [salary]\ncolour: red\n")
    draft = tmp_path / "a.txt"
    draft.write_text("Hi Ana, thanks.\n")
    result = run_cli(str(draft), cwd=tmp_path)
    assert result.returncode == 2
    assert b".etiquette-lint.yaml:2" in result.stderr and b"colour" in result.stderr


def test_config_file_selects_and_overrides_severity(tmp_path):
    (tmp_path / ".etiquette-lint.yaml").write_text("severity:\n  salary: info\n")
    draft = tmp_path / "a.txt"
    draft.write_text("Hi Ana,\n\nThanks for the chat about Kafka. What is the salary range?\n")
    result = run_cli("--format", "json", str(draft), cwd=tmp_path)
    [finding] = json.loads(result.stdout)
    assert finding["severity"] == "info" and result.returncode == 0


def test_stdin(tmp_path):
    result = run_cli("-", stdin=b"Hi Ana,\n\nI'm begging you, please.\n")
    assert result.returncode == 1 and b"-:3:5:" in result.stdout


def test_list_rules_and_explain():
    listed = run_cli("--list-rules", cwd=ROOT).stdout.decode()
    for category in ("salary.", "criticism.", "desperation.", "personalisation.", "followup."):
        assert category in listed
    explained = run_cli("--explain", "salary.before-offer", cwd=ROOT)
    assert explained.returncode == 0
    text = explained.stdout.decode()
    assert "offer" in text and "Fires on:" in text and "Does not fire on:" in text
    assert run_cli("--explain", "salary.nope", cwd=ROOT).returncode == 2


def test_test_rules_runs_a_user_rule_folder(tmp_path):
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        "rules:\n"
        "  - id: tone.sorry\n    severity: info\n    message: Over-apologising\n    explain: Say it once.\n"
        "    detector: {kind: phrases, attr: LEMMA, phrases: [apologise profusely]}\n"
        "    examples:\n      fire: [\"I apologised profusely for the delay.\"]\n      pass: [\"Sorry for the delay.\"]\n"
    )
    result = run_cli("--test-rules", str(folder))
    assert result.returncode == 0, result.stdout.decode()
    assert result.stdout.decode().strip().endswith("2 passed, 0 failed")
    (folder / "mine.yaml").write_text((folder / "mine.yaml").read_text().replace("Sorry for the delay.", "I apologise profusely."))
    failed = run_cli("--test-rules", str(folder))
    assert failed.returncode == 1 and b"fired on pass example" in failed.stdout


def test_broken_rule_names_file_line_and_field(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "bad.yaml").write_text(
        "rules:\n  - id: tone.bad\n    severity: warning\n    message: m\n    explain: e\n"
        "    detector:\n      kind: tokens\n      triggers: [begin]\n      patterns:\n        - [{LOWR: \"begin\"}]\n"
        "    examples: {fire: [x], pass: [y]}\n"
    )
    result = run_cli("--test-rules", str(folder))
    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err
    assert "bad.yaml:10" in err and "tone.bad: detector.patterns[0]" in err


def test_readme_shows_the_real_output():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ .venv/bin/etiquette-lint examples/drafts/\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    result = run_cli("--no-cache", "examples/drafts/", cwd=ROOT)
    assert result.stdout.decode() == shown


def test_a_selector_that_names_no_rule_is_an_error(tmp_path):
    result = run_cli("--select", "salry", str(EXAMPLES), cwd=ROOT)
    assert result.returncode == 2 and b"'salry' names no rule or category" in result.stderr
    (tmp_path / ".etiquette-lint.yaml").write_text("ignore: [personalisation.placholder]\n")
    (tmp_path / "a.txt").write_text("Hi Ana, thanks.\n")
    result = run_cli("a.txt", cwd=tmp_path)
    assert result.returncode == 2 and b".etiquette-lint.yaml" in result.stderr and b"placholder" in result.stderr
