"""The machine formats: GitHub workflow commands, SARIF 2.1.0, GitLab Code Quality.

Golden files under tests/golden/ are the exact expected output for one fixed draft (run with
regex rules only, so they stay stable while the NLP rules are tuned). After an intended change
to a message or format, regenerate them with `UPDATE_GOLDEN=1 .venv/bin/python -m pytest
tests/test_reporters.py` and review the diff."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from conftest import ROOT, SARIF_SCHEMA, run_cli
from etiquette_lint.reporters.github import escape_data, escape_property

GOLDEN = ROOT / "tests" / "golden"
DRAFT_NAME = "thanks, v2.md"  # the comma exercises property escaping
FAST = ["--select", "personalisation.placeholder,followup.repeated-chasing,desperation.exclamations"]


@pytest.fixture
def golden_workspace(tmp_path):
    """The golden draft under drafts/, and the golden config as the folder's .etiquette-lint.yaml."""
    (tmp_path / "drafts").mkdir()
    shutil.copy(GOLDEN / DRAFT_NAME, tmp_path / "drafts" / DRAFT_NAME)
    shutil.copy(GOLDEN / "config.yaml", tmp_path / ".etiquette-lint.yaml")
    return tmp_path


def _compare_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.is_file(), f"{path} is missing; generate it with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt, golden", [("github", "github.txt"), ("gitlab", "gitlab.json")])
def test_golden_output(golden_workspace, fmt, golden):
    run = run_cli("--format", fmt, f"drafts/{DRAFT_NAME}", cwd=golden_workspace)
    assert run.returncode == 1, run.stderr.decode()
    _compare_golden(golden, run.stdout.decode("utf-8"))


def test_golden_github_covers_every_level_and_escaping():
    text = (GOLDEN / "github.txt").read_text(encoding="utf-8")
    assert {line.split(" ", 1)[0] for line in text.splitlines() if line.startswith("::")} == {"::error", "::warning", "::notice"}
    assert "file=drafts/thanks%2C v2.md," in text
    assert "%25FIRST_NAME%25" in text  # `%` in the message data


def test_escaping_follows_the_workflow_command_rules():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b"
    assert escape_property("%3A") == "%253A"  # escaped once, not twice


def test_github_format_is_picked_under_github_actions(golden_workspace):
    path = f"drafts/{DRAFT_NAME}"
    auto = run_cli(path, cwd=golden_workspace, env={"GITHUB_ACTIONS": "true"})
    assert auto.stdout.decode() == (GOLDEN / "github.txt").read_text(encoding="utf-8")
    explicit = run_cli("--format", "text", path, cwd=golden_workspace, env={"GITHUB_ACTIONS": "true"})
    assert explicit.stdout.decode().startswith(f"{path}:8:6: error [personalisation.placeholder]")
    elsewhere = run_cli(path, cwd=golden_workspace, env={"GITHUB_ACTIONS": "false"})
    assert not elsewhere.stdout.decode().startswith("::")


def test_gitlab_fields_and_stable_fingerprints(golden_workspace):
    first = json.loads(run_cli("--format", "gitlab", f"drafts/{DRAFT_NAME}", cwd=golden_workspace).stdout)
    second = json.loads(run_cli("--format", "gitlab", f"drafts/{DRAFT_NAME}", cwd=golden_workspace).stdout)
    assert first == second
    fingerprints = [issue["fingerprint"] for issue in first]
    assert len(set(fingerprints)) == len(fingerprints)
    assert {issue["severity"] for issue in first} == {"major", "minor", "info"}
    for issue in first:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["path"] == f"drafts/{DRAFT_NAME}"
        assert isinstance(issue["location"]["lines"]["begin"], int)


def test_gitlab_fingerprint_survives_unrelated_edits(golden_workspace):
    """Adding a line elsewhere moves findings below it, but not those above."""
    path = golden_workspace / "drafts" / DRAFT_NAME
    before = json.loads(run_cli("--format", "gitlab", f"drafts/{DRAFT_NAME}", cwd=golden_workspace).stdout)
    path.write_text(path.read_text(encoding="utf-8") + "\nP.S. See you soon.\n", encoding="utf-8")
    after = json.loads(run_cli("--format", "gitlab", f"drafts/{DRAFT_NAME}", cwd=golden_workspace).stdout)
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]


def _sarif_validator():
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)  # the draft the schema's $schema names
    validator.check_schema(schema)
    return validator(schema, format_checker=validator.FORMAT_CHECKER)


def test_sarif_validates_against_the_official_schema():
    validator = _sarif_validator()
    run = run_cli("--format", "sarif", "examples/drafts", cwd=ROOT)
    assert run.returncode == 1, run.stderr.decode()
    log = json.loads(run.stdout)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])

    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run_log = log["runs"][0]
    driver = run_log["tool"]["driver"]
    assert driver["name"] == "etiquette-lint" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert len(rules) == len({r["id"] for r in rules}) > 5
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    results = run_log["results"]
    assert results
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith("examples/drafts/")
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"])
    placeholder = next(r for r in results if r["ruleId"] == "personalisation.placeholder")
    assert placeholder["level"] == "error"
    assert placeholder["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 26}


def test_sarif_lists_the_selected_rules_with_config_severity(golden_workspace):
    validator = _sarif_validator()
    absolute = str(golden_workspace / "drafts" / DRAFT_NAME)  # an absolute path under the working folder
    run = run_cli("--format", "sarif", absolute, cwd=golden_workspace)
    log = json.loads(run.stdout)
    assert not list(validator.iter_errors(log))
    driver = log["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == ["desperation.exclamations", "followup.repeated-chasing", "personalisation.placeholder"]
    assert driver["rules"][0]["defaultConfiguration"]["level"] == "note"  # the config's severity override
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"drafts/thanks%2C%20v2.md"}


def test_sarif_reports_unreadable_files_as_notifications(tmp_path):
    validator = _sarif_validator()
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    run = run_cli("--format", "sarif", *FAST, "binary.txt", cwd=tmp_path)
    log = json.loads(run.stdout)
    assert not list(validator.iter_errors(log))
    notifications = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notifications[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "binary.txt"
    assert log["runs"][0]["results"] == []


@pytest.mark.parametrize("fmt", ["github", "gitlab", "sarif", "json"])
def test_clean_draft_gives_an_empty_report(tmp_path, fmt):
    (tmp_path / "ok.txt").write_text("Dear Priya,\n\nThank you for the conversation about the dashboard.\n", encoding="utf-8")
    run = run_cli("--format", fmt, *FAST, "ok.txt", cwd=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    out = run.stdout.decode()
    if fmt == "github":
        assert out == "No problems in 1 draft.\n"
    elif fmt == "sarif":
        assert json.loads(out)["runs"][0]["results"] == []
    else:
        assert json.loads(out) == []


def test_text_output_shows_each_suggestion_as_a_help_line(golden_workspace):
    """Issue 13, item 8: the suggestion is one indented `help:` line under its finding (as ruff
    prints them); `--no-suggestions` hides them."""
    path = f"drafts/{DRAFT_NAME}"
    findings = json.loads(run_cli("--format", "json", path, cwd=golden_workspace).stdout)
    lines = run_cli(path, cwd=golden_workspace).stdout.decode().splitlines()
    expected = []
    for finding in findings:
        expected.append(f"{path}:{finding['line']}:{finding['column']}: {finding['severity']} [{finding['rule']}] {finding['message']}")
        if finding["suggestion"]:
            expected.append(f"  help: {' '.join(finding['suggestion'].split())}")
    assert any(line.startswith("  help: ") for line in expected)
    assert lines[:-1] == expected
    hidden = run_cli("--no-suggestions", path, cwd=golden_workspace).stdout.decode().splitlines()
    assert hidden == [line for line in lines if not line.startswith("  help: ")]


def _gitlab_fingerprints(findings) -> list[str]:
    from etiquette_lint.api import LintResult
    from etiquette_lint.reporters.gitlab import GitlabReporter

    return [issue["fingerprint"] for issue in json.loads(GitlabReporter().render(LintResult(findings=findings)))]


def test_gitlab_fingerprint_follows_the_evidence_not_the_line():
    """Issue 13, item 9: a finding that only moves keeps its fingerprint; identical evidence
    twice in a draft gets two fingerprints, told apart by occurrence."""
    from etiquette_lint.findings import Finding, Severity

    def placeholder(line: int, column: int = 6, evidence: str = "[Name]") -> Finding:
        return Finding("drafts/a.md", line, column, line, column + len(evidence), "personalisation.placeholder",
                       "personalisation", Severity.ERROR, f'Unfilled template placeholder: "{evidence}"')

    assert _gitlab_fingerprints([placeholder(3)]) == _gitlab_fingerprints([placeholder(4, column=9)])
    first, second = _gitlab_fingerprints([placeholder(3), placeholder(7)])
    assert first != second
    assert _gitlab_fingerprints([placeholder(5), placeholder(12)]) == [first, second]  # both moved: both kept
    other = _gitlab_fingerprints([placeholder(3, evidence="<Company>")])[0]
    assert other not in (first, second)


def test_gitlab_fingerprint_survives_a_line_added_above(golden_workspace):
    path = golden_workspace / "drafts" / DRAFT_NAME
    before = json.loads(run_cli("--format", "gitlab", f"drafts/{DRAFT_NAME}", cwd=golden_workspace).stdout)
    path.write_text(path.read_text(encoding="utf-8").replace("---\nDear", "---\nHello again.\n\nDear"), encoding="utf-8")
    after = json.loads(run_cli("--format", "gitlab", f"drafts/{DRAFT_NAME}", cwd=golden_workspace).stdout)
    assert [i["location"]["lines"]["begin"] for i in after] == [i["location"]["lines"]["begin"] + 2 for i in before]
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
