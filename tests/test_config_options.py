"""`options:` in the config is validated before anything walks it (issue 14, item 4, the config
half): a 397-byte config keyed an option by a category, `options: {salary: {a: &a [...], ...}}`,
and the cache key expanded its aliases for 5 minutes and 8 GB. Options are set per rule id,
each parameter a number, text, true/false or a flat list of those; aliases that expand past
10,000 nodes are refused when the file is read (yamlsource), before anything uses them; anything
else is a configuration error (exit 2) that names the file, the line and the key."""
from __future__ import annotations

import pytest

from conftest import run_cli

DRAFT = "Dear Priya,\n\nThank you for the tour of the depot.\n"


def _bomb(top: str) -> str:
    """Nine levels of nine-fold aliases: 9**9 (387 million) leaves from a few hundred bytes."""
    lines = [f"options:\n  {top}:", "    a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous = f"*a{level - 1}"
        lines.append(f"    a{level}: &a{level} [{', '.join([previous] * 9)}]")
    return "\n".join(lines) + "\n"


def _run(tmp_path, config: str):
    (tmp_path / ".etiquette-lint.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "a.txt").write_text(DRAFT, encoding="utf-8")
    return run_cli("--select", "personalisation.placeholder", "a.txt", cwd=tmp_path)  # run_cli gives up after 300 s


def test_the_reported_bomb_keyed_by_a_category_is_refused_at_once(tmp_path):
    config = _bomb("salary")
    assert len(config.encode()) < 600
    run = _run(tmp_path, config)
    assert run.returncode == 2, run.stderr.decode()
    assert ".etiquette-lint.yaml:3: invalid YAML: aliases expand past 10,000 nodes" in run.stderr.decode()  # counted before use


def test_a_bomb_under_a_rule_id_is_refused_at_once(tmp_path):
    run = _run(tmp_path, _bomb("followup.cadence"))
    assert run.returncode == 2, run.stderr.decode()
    assert ".etiquette-lint.yaml:3: invalid YAML: aliases expand past 10,000 nodes" in run.stderr.decode()


def test_flat_aliases_past_the_budget_are_refused(tmp_path):
    values = ", ".join(["1"] * 100)
    keys = "\n".join(f"    k{index}: *many" for index in range(120))
    run = _run(tmp_path, f"options:\n  followup.cadence:\n    k: &many [{values}]\n{keys}\n")
    assert run.returncode == 2, run.stderr.decode()
    assert "invalid YAML: aliases expand past 10,000 nodes" in run.stderr.decode()


@pytest.mark.parametrize("config, message", [
    ("options: [followup.cadence]\n", ":1: options: should map rule ids to parameter mappings"),
    ("options:\n  salary:\n    a: 1\n", ":2: options.salary: options are set per rule id"),
    ("options:\n  followup.cadence:\n    a1: [[x, y]]\n", "options.followup.cadence.a1: should be a number, text, true/false or a flat list of those"),
    ("options:\n  followup.cadence: 7\n", ":2: options.followup.cadence: should map parameter names to values"),
    ("options:\n  followup.cadence:\n    kind: regex\n", ":3: options.followup.cadence.kind: the detector kind cannot be changed"),
    ("options:\n  followup.cadence:\n    1: 7\n", ":3: options.followup.cadence.1: should be a parameter name"),
    ("options:\n  followup.cadence:\n    min_gap_days: {days: 7}\n", ":3: options.followup.cadence.min_gap_days: should be a number"),
    ("options:\n  followup.cadence:\n    min_gap_days: seven\n", "followup.cadence: detector.min_gap_days"),  # the kind's own type check
])
def test_bad_options_name_the_line_and_key(tmp_path, config, message):
    run = _run(tmp_path, config)
    assert run.returncode == 2, run.stderr.decode()
    assert message in run.stderr.decode()


def test_valid_options_still_apply(tmp_path):
    run = _run(tmp_path, "options:\n  followup.cadence: {min_gap_days: 7, window_days: 30}\n")
    assert run.returncode == 0, run.stderr.decode()
    shown = run_cli("--show-config", "a.txt", cwd=tmp_path).stdout.decode()
    assert "min_gap_days: 7" in shown and "window_days: 30" in shown
