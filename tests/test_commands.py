"""Command-line switches around a run: --exit-zero, --fail-on, --list-rules --format json,
--explain. (Config switches --init and --show-config are in test_config.py.)"""
from __future__ import annotations

import json

from conftest import ROOT, run_cli
from etiquette_lint.ruleset import load_ruleset

WARNING_ONLY = "Hi Dana,\n\nThank you so much for the interview!!!\n"  # desperation.exclamations: warning
FAST = ["--select", "desperation.exclamations,personalisation.placeholder"]


def test_exit_zero_keeps_the_report_but_exits_0(tmp_path):
    (tmp_path / "a.txt").write_text(WARNING_ONLY, encoding="utf-8")
    failing = run_cli(*FAST, "a.txt", cwd=tmp_path)
    assert failing.returncode == 1
    zero = run_cli(*FAST, "--exit-zero", "a.txt", cwd=tmp_path)
    assert zero.returncode == 0
    assert zero.stdout == failing.stdout and b"[desperation.exclamations]" in zero.stdout


def test_exit_zero_does_not_hide_usage_errors(tmp_path):
    assert run_cli("--exit-zero", "missing.txt", cwd=tmp_path).returncode == 2
    (tmp_path / ".etiquette-lint.yaml").write_text("selct: [salary]\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(WARNING_ONLY, encoding="utf-8")
    assert run_cli("--exit-zero", "a.txt", cwd=tmp_path).returncode == 2


def test_fail_on_threshold_and_config_fail_on(tmp_path):
    (tmp_path / "a.txt").write_text(WARNING_ONLY, encoding="utf-8")
    assert run_cli(*FAST, "--fail-on", "error", "a.txt", cwd=tmp_path).returncode == 0
    assert run_cli(*FAST, "--fail-on", "info", "a.txt", cwd=tmp_path).returncode == 1
    (tmp_path / ".etiquette-lint.yaml").write_text("fail-on: error\n", encoding="utf-8")
    assert run_cli(*FAST, "a.txt", cwd=tmp_path).returncode == 0
    assert run_cli(*FAST, "--fail-on", "warning", "a.txt", cwd=tmp_path).returncode == 1


def test_list_rules_as_json_lists_every_rule_with_its_fields():
    run = run_cli("--list-rules", "--format", "json", cwd=ROOT)
    assert run.returncode == 0, run.stderr.decode()
    listed = json.loads(run.stdout)
    assert [r["id"] for r in listed] == [r.id for r in load_ruleset().rules]
    for rule in listed:
        assert set(rule) >= {"id", "category", "severity", "summary", "kind", "file"}
        assert rule["id"].startswith(rule["category"] + ".")
        assert rule["severity"] in {"error", "warning", "info"}
    assert {"salary", "criticism", "desperation", "personalisation", "followup"} <= {r["category"] for r in listed}


def test_list_rules_json_follows_selection_and_config_severity(tmp_path):
    (tmp_path / ".etiquette-lint.yaml").write_text("severity: {salary: error}\nignore: [salary.before-offer]\n", encoding="utf-8")
    listed = json.loads(run_cli("--list-rules", "--format", "json", "--select", "salary,desperation.pleading", cwd=tmp_path).stdout)
    assert [r["id"] for r in listed] == ["desperation.pleading"]
    (tmp_path / ".etiquette-lint.yaml").write_text("severity: {salary: error}\n", encoding="utf-8")
    listed = json.loads(run_cli("--list-rules", "--format", "json", "--select", "salary", cwd=tmp_path).stdout)
    assert [(r["id"], r["severity"]) for r in listed] == [("salary.before-offer", "error")]


def test_explain_shows_why_examples_and_where_defined():
    run = run_cli("--explain", "personalisation.placeholder", cwd=ROOT)
    assert run.returncode == 0, run.stderr.decode()
    text = run.stdout.decode()
    rule = load_ruleset().by_id()["personalisation.placeholder"]
    assert text.startswith("personalisation.placeholder (personalisation, error, detector: regex)")
    assert rule.message in text and rule.explain.strip().splitlines()[0] in text
    assert "Fires on:" in text and "Does not fire on:" in text
    assert f"Instead: {rule.suggestion}" in text
    assert "Defined in " in text and "personalisation.yaml:" in text


def test_explain_unknown_rule_is_a_usage_error_with_a_hint():
    run = run_cli("--explain", "salary.nope", cwd=ROOT)
    assert run.returncode == 2
    assert "unknown rule or term list 'salary.nope'" in run.stderr.decode() and "salary.before-offer" in run.stderr.decode()
    assert run.stdout == b""
