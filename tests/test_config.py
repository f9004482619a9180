"""Configuration through the real CLI: discovery per linted file, pyproject.toml, --config,
per-path overrides, --show-config, unknown keys, --init.

The configs select regex rules (no spaCy pipeline) so each run takes a fraction of a second."""
from __future__ import annotations

import json
import re

import yaml

from conftest import run_cli
from etiquette_lint.config import KEYS, load_config, starter_config

DRAFT = "Hi Dana,\n\nThanks for meeting me about the [Job Title] role!!!\n"
DEAR_TEAM = "---\ntype: thank-you\n---\nDear Hiring Manager,\n\nThank you for the interview about the [Job Title] role!!!\n"


def _tree(root, files: dict[str, str]):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _findings(run) -> list[dict]:
    assert run.returncode in (0, 1), run.stderr.decode()
    return json.loads(run.stdout)


def _rules_by_path(run) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in _findings(run):
        found.setdefault(finding["path"], set()).add(finding["rule"])
    return found


def test_nearest_config_wins_per_file(tmp_path):
    _tree(tmp_path, {
        ".etiquette-lint.yaml": "select: [personalisation.placeholder, desperation]\nignore: [desperation]\n",
        "a.txt": DRAFT,
        "sub/.etiquette-lint.yaml": "select: [desperation.exclamations]\n",
        "sub/b.txt": DRAFT,
        "sub/deeper/c.txt": DRAFT,
    })
    found = _rules_by_path(run_cli("--format", "json", "a.txt", "sub", cwd=tmp_path))
    assert found == {
        "a.txt": {"personalisation.placeholder"},
        "sub/b.txt": {"desperation.exclamations"},
        "sub/deeper/c.txt": {"desperation.exclamations"},
    }


def test_pyproject_table_is_a_config_and_other_pyprojects_are_skipped(tmp_path):
    _tree(tmp_path, {
        "pyproject.toml": '[tool.etiquette-lint]\nselect = ["desperation.exclamations"]\n',
        "inner/pyproject.toml": '[project]\nname = "not-ours"\n',
        "inner/d.txt": DRAFT,
    })
    assert _rules_by_path(run_cli("--format", "json", "inner/d.txt", cwd=tmp_path)) == {"inner/d.txt": {"desperation.exclamations"}}


def test_dot_etiquette_lint_yaml_beats_a_pyproject_in_the_same_folder(tmp_path):
    _tree(tmp_path, {
        "pyproject.toml": '[tool.etiquette-lint]\nselect = ["desperation.exclamations"]\n',
        ".etiquette-lint.yaml": "select: [personalisation.placeholder]\n",
        "d.txt": DRAFT,
    })
    assert _rules_by_path(run_cli("--format", "json", "d.txt", cwd=tmp_path)) == {"d.txt": {"personalisation.placeholder"}}


def test_config_option_applies_to_every_file(tmp_path):
    _tree(tmp_path, {
        "ci.yaml": "select: [personalisation.placeholder]\n",
        "sub/.etiquette-lint.yaml": "select: [desperation.exclamations]\n",
        "sub/b.txt": DRAFT,
    })
    found = _rules_by_path(run_cli("--format", "json", "--config", "ci.yaml", "sub/b.txt", cwd=tmp_path))
    assert found == {"sub/b.txt": {"personalisation.placeholder"}}


def test_per_path_ignore_from_the_documented_example(tmp_path):
    _tree(tmp_path, {
        ".etiquette-lint.yaml": (
            "select: [personalisation]\n"
            "per-path:\n"
            '  "drafts/cold/**":\n'
            "    ignore: [personalisation.generic-greeting]\n"
        ),
        "drafts/cold/a.md": DEAR_TEAM,
        "drafts/cold/deeper/b.md": DEAR_TEAM,
        "drafts/warm/c.md": DEAR_TEAM,
    })
    found = _rules_by_path(run_cli("--format", "json", "drafts", cwd=tmp_path))
    assert "personalisation.generic-greeting" in found["drafts/warm/c.md"]
    assert "personalisation.generic-greeting" not in found["drafts/cold/a.md"]
    assert "personalisation.generic-greeting" not in found["drafts/cold/deeper/b.md"]
    assert "personalisation.placeholder" in found["drafts/cold/a.md"]


def test_per_path_globs_are_relative_to_the_config_file_not_the_working_folder(tmp_path):
    project = tmp_path / "project"
    _tree(project, {
        ".etiquette-lint.yaml": "select: [desperation.exclamations]\nper-path:\n  cold/*.txt: {ignore: [desperation]}\n",
        "cold/a.txt": DRAFT,
        "warm/a.txt": DRAFT,
    })
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = run_cli("--format", "json", str(project / "cold" / "a.txt"), str(project / "warm" / "a.txt"), cwd=elsewhere)
    assert {f["path"] for f in _findings(run)} == {str(project / "warm" / "a.txt")}


def test_per_path_ignore_beats_a_longer_top_level_select(tmp_path):
    _tree(tmp_path, {
        ".etiquette-lint.yaml": "select: [desperation.exclamations]\nper-path:\n  quiet: {ignore: [desperation]}\n",
        "quiet/a.txt": DRAFT,
        "loud/a.txt": DRAFT,
    })
    assert _rules_by_path(run_cli("--format", "json", "quiet", "loud", cwd=tmp_path)) == {"loud/a.txt": {"desperation.exclamations"}}


def test_per_path_select_severity_and_fail_on(tmp_path):
    _tree(tmp_path, {
        ".etiquette-lint.yaml": (
            "select: [personalisation.placeholder]\n"
            "per-path:\n"
            "  loud/**: {select: [desperation.exclamations], severity: {desperation: error}}\n"
            "  lenient: {fail-on: error, severity: {personalisation.placeholder: warning}}\n"
        ),
        "plain/a.txt": DRAFT,
        "loud/a.txt": DRAFT,
        "lenient/a.txt": DRAFT,
    })
    findings = _findings(run_cli("--format", "json", "plain", "loud", "lenient", cwd=tmp_path))
    by_path = {(f["path"], f["rule"]): f["severity"] for f in findings}
    assert by_path == {
        ("plain/a.txt", "personalisation.placeholder"): "error",
        ("loud/a.txt", "desperation.exclamations"): "error",  # a rule the top-level select does not run
        ("lenient/a.txt", "personalisation.placeholder"): "warning",
    }
    assert run_cli("lenient/a.txt", cwd=tmp_path).returncode == 0  # only a warning, and fail-on is error there
    assert run_cli("plain/a.txt", cwd=tmp_path).returncode == 1
    assert run_cli("--fail-on", "warning", "lenient/a.txt", cwd=tmp_path).returncode == 1  # the option wins


def test_command_line_select_still_wins_over_per_path(tmp_path):
    _tree(tmp_path, {
        ".etiquette-lint.yaml": "per-path:\n  loud/**: {select: [desperation.exclamations]}\n",
        "loud/a.txt": DRAFT,
    })
    found = _rules_by_path(run_cli("--format", "json", "--select", "personalisation.placeholder", "loud", cwd=tmp_path))
    assert found == {"loud/a.txt": {"personalisation.placeholder"}}


def test_unknown_per_path_key_names_file_line_and_key(tmp_path):
    _tree(tmp_path, {
        ".etiquette-lint.yaml": 'fail-on: warning\nper-path:\n  "drafts/cold/**":\n    ignor: [salary]\n',
        "drafts/cold/a.txt": DRAFT,
    })
    run = run_cli("drafts", cwd=tmp_path)
    assert run.returncode == 2
    message = run.stderr.decode()
    assert ".etiquette-lint.yaml:4: per-path.drafts/cold/**.ignor: unknown key" in message
    assert "ignore" in message and "Traceback" not in message


def test_bad_per_path_values_are_configuration_errors(tmp_path):
    cases = {
        "per-path: [drafts]\n": "per-path: should map globs",
        "per-path:\n  drafts/**: {severity: {salary: loud}}\n": "per-path.drafts/**.severity.salary: unknown severity 'loud'",
        "per-path:\n  drafts/**: {ignore: 3}\n": "per-path.drafts/**.ignore: should be a list of strings",
        "per-path:\n  drafts/**: [salary]\n": "per-path.drafts/**: should be a mapping",
    }
    for text, expected in cases.items():
        (tmp_path / ".etiquette-lint.yaml").write_text(text, encoding="utf-8")
        (tmp_path / "a.txt").write_text(DRAFT, encoding="utf-8")
        run = run_cli("a.txt", cwd=tmp_path)
        assert run.returncode == 2, text
        assert expected in run.stderr.decode(), (text, run.stderr.decode())


def test_unknown_top_level_key_still_names_file_and_key(tmp_path):
    _tree(tmp_path, {".etiquette-lint.yaml": "select: [salary]\nper_path: {}\n", "a.txt": DRAFT})
    run = run_cli("a.txt", cwd=tmp_path)
    assert run.returncode == 2
    assert ".etiquette-lint.yaml:2: per_path: unknown key" in run.stderr.decode()


def test_show_config_prints_the_effective_config_as_yaml(tmp_path):
    _tree(tmp_path, {
        ".etiquette-lint.yaml": (
            "ignore: [length]\nseverity: {salary: error}\nfail-on: warning\n"
            "per-path:\n  drafts/cold/**: {ignore: [personalisation.generic-greeting], severity: {salary: info}, fail-on: error}\n"
        ),
    })
    run = run_cli("--show-config", "drafts/cold/a.md", cwd=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    shown = yaml.safe_load(run.stdout)
    assert shown["config-file"].endswith(".etiquette-lint.yaml")
    assert shown["per-path-applied"] == ["drafts/cold/**"]
    assert shown["ignore"] == ["length", "personalisation.generic-greeting"]
    assert shown["severity"] == {"salary": "info"}
    assert shown["fail-on"] == "error"
    assert shown["select"] == ["all"]

    warm = yaml.safe_load(run_cli("--show-config", "drafts/warm/a.md", "--ignore", "readability", cwd=tmp_path).stdout)
    assert warm["per-path-applied"] == [] and warm["severity"] == {"salary": "error"} and warm["fail-on"] == "warning"
    assert warm["ignore"] == ["length", "readability"]

    (tmp_path / "other.yaml").write_text("select: [salary]\n", encoding="utf-8")
    forced = yaml.safe_load(run_cli("--show-config", "drafts/cold/a.md", "--config", "other.yaml", cwd=tmp_path).stdout)
    assert forced["config-file"] == "other.yaml" and forced["select"] == ["salary"] and forced["per-path-applied"] == []


def test_show_config_without_any_config_shows_defaults(tmp_path):
    shown = yaml.safe_load(run_cli("--show-config", "a.txt", cwd=tmp_path).stdout)
    assert shown["config-file"] is None and shown["fail-on"] == "warning" and shown["select"] == ["all"]


def test_init_writes_a_commented_starter_and_refuses_to_overwrite(tmp_path):
    run = run_cli("--init", cwd=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    written = (tmp_path / ".etiquette-lint.yaml").read_text(encoding="utf-8")
    assert written == starter_config()
    assert sum(line.startswith("#") for line in written.splitlines()) > 20

    (tmp_path / ".etiquette-lint.yaml").write_text("select: [salary]\n", encoding="utf-8")
    again = run_cli("--init", cwd=tmp_path)
    assert again.returncode == 2
    assert "already exists" in again.stderr.decode()
    assert (tmp_path / ".etiquette-lint.yaml").read_text(encoding="utf-8") == "select: [salary]\n"


def test_init_refuses_when_a_yml_config_exists(tmp_path):
    (tmp_path / ".etiquette-lint.yml").write_text("select: [salary]\n", encoding="utf-8")
    run = run_cli("--init", cwd=tmp_path)
    assert run.returncode == 2 and ".etiquette-lint.yml already exists" in run.stderr.decode()
    assert not (tmp_path / ".etiquette-lint.yaml").exists()


def test_starter_config_is_valid_as_written_and_with_every_example_uncommented(tmp_path):
    path = tmp_path / ".etiquette-lint.yaml"
    path.write_text(starter_config(), encoding="utf-8")
    load_config(str(path))
    # Uncomment the example settings (a `# key:` line and the indented lines under it).
    lines, inside = [], False
    for line in starter_config().splitlines():
        key = re.match(r"^# ([a-z-]+):", line)
        if key and key.group(1) in KEYS:
            lines.append(line[2:])
            inside = True
        elif inside and line.startswith("#   "):
            lines.append(line[2:])
        else:
            inside = False
            lines.append(line)
    uncommented = "\n".join(lines) + "\n"
    (tmp_path / "my-rules").mkdir()
    path.write_text(uncommented, encoding="utf-8")
    config = load_config(str(path))
    assert set(config.describe()) >= {"select", "ignore", "severity"}
    assert config.per_path[0].pattern == "drafts/cold/**"
    assert config.options == {"followup.cadence": {"min_gap_days": 7}}
    shown = yaml.safe_load(run_cli("--show-config", "drafts/cold/x.md", cwd=tmp_path).stdout)
    assert "personalisation.generic-greeting" in shown["ignore"]
