"""action.yml and docs/ci.md are code: parse them and run the etiquette-lint commands they
contain (paths replaced by examples/drafts), checking exit status and output format."""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys

import click
import pytest
import yaml

from conftest import ROOT, SARIF_SCHEMA, run_cli, yaml_strings
from etiquette_lint.cli import main as cli_main

EXAMPLES = "examples/drafts"
ACTION = ROOT / "action.yml"
CI_DOC = ROOT / "docs" / "ci.md"
VALUE_OPTIONS = {name for p in cli_main.params if isinstance(p, click.Option) and not p.is_flag for name in p.opts}


def _env(extra: dict | None = None) -> dict:
    """The environment of a CI step, with this checkout's etiquette-lint first on PATH."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.update(extra or {})
    return env


def _check_output(fmt: str, stdout: str) -> None:
    if fmt == "github":
        lines = stdout.splitlines()
        assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines[:-1]), stdout
        assert re.match(r"::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[\w.-]+::", lines[0])
    elif fmt == "sarif":
        log = json.loads(stdout)
        assert log["version"] == "2.1.0" and log["runs"][0]["results"]
        import jsonschema

        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        jsonschema.validators.validator_for(schema)(schema).validate(log)
    elif fmt == "gitlab":
        issues = json.loads(stdout)
        assert issues and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in issues)
    elif fmt == "json":
        assert isinstance(json.loads(stdout), list)
    else:
        assert re.search(r"^\d+ problems? \(.*\) in \d+ files?\.$", stdout, re.MULTILINE), stdout


# -- action.yml ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def action():
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_action_is_a_composite_with_the_documented_inputs(action):
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"paths", "fail-on", "format"}
    assert action["inputs"]["format"]["default"] == "github"
    assert action["inputs"]["fail-on"]["default"] == "warning"
    install = next(s for s in action["runs"]["steps"] if "pip install" in s.get("run", ""))
    assert "GITHUB_ACTION_PATH" in install["run"] or "github.action_path" in install["run"]
    for step in action["runs"]["steps"]:
        assert "uses" in step or step.get("shell") == "bash"  # composite run steps must name a shell


def _lint_step(action) -> dict:
    return next(s for s in action["runs"]["steps"] if re.search(r"^\s*etiquette-lint ", s.get("run", ""), re.MULTILINE))


def _run_action_step(action, inputs: dict) -> subprocess.CompletedProcess:
    step = _lint_step(action)
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()} | inputs
    substitute = lambda text: re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(text))  # noqa: E731
    env = _env({key: substitute(value) for key, value in step.get("env", {}).items()})
    return subprocess.run(["bash", "-e", "-c", substitute(step["run"])], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_action_lint_step_annotates_and_fails_on_the_examples(action):
    run = _run_action_step(action, {"paths": EXAMPLES})
    assert run.returncode == 1, run.stderr
    _check_output("github", run.stdout)
    assert "file=examples/drafts/template-thank-you.md" in run.stdout


def test_action_lint_step_passes_several_clean_paths_and_other_formats(action):
    clean = f"{EXAMPLES}/good-thank-you.txt\n{EXAMPLES}/good-thank-you.txt"  # one input, several paths
    run = _run_action_step(action, {"paths": clean, "format": "json", "fail-on": "error"})
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == []


# -- docs/ci.md ---------------------------------------------------------------------------

def _yaml_blocks() -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", CI_DOC.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def _commands() -> list[tuple[int, str]]:
    found = []
    for index, block in enumerate(_yaml_blocks()):
        for _, text in yaml_strings(yaml.safe_load(block)):
            found += [(index, line.strip()) for line in text.splitlines() if line.strip().startswith("etiquette-lint ")]
    return found


def _localise(command: str) -> tuple[list[str], str | None]:
    """The command's arguments with every path replaced by the examples folder, and the file
    its output is redirected to, if any."""
    tokens = shlex.split(command)[1:]
    args, output, paths_seen, index = [], None, False, 0
    while index < len(tokens):
        token = tokens[index]
        if token == ">":
            output = tokens[index + 1]
            index += 2
            continue
        if token.startswith("-"):
            args.append(token)
            if token in VALUE_OPTIONS:
                args.append(tokens[index + 1])
                index += 1
        elif not paths_seen:
            args.append(EXAMPLES)
            paths_seen = True
        index += 1
    return args, output


def test_ci_doc_yaml_blocks_parse_and_name_the_report_files():
    blocks = [yaml.safe_load(block) for block in _yaml_blocks()]
    assert len(blocks) >= 3
    workflow, gitlab = blocks[0], blocks[-1]
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert f"> {upload['with']['sarif_file']}" in next(s["run"] for s in steps if "--format sarif" in s.get("run", ""))
    assert workflow["jobs"]["code-scanning"]["permissions"]["security-events"] == "write"
    job = gitlab["etiquette-lint"]
    assert any(f"> {job['artifacts']['reports']['codequality']}" in line for line in job["script"])
    assert job["artifacts"]["when"] == "always"


def test_ci_doc_has_the_commands_each_platform_needs():
    formats = set()
    for _, command in _commands():
        args, _ = _localise(command)
        formats.add(args[args.index("--format") + 1] if "--format" in args else "text")
    assert {"github", "sarif", "gitlab", "text"} <= formats


@pytest.mark.parametrize("block, command", _commands(), ids=lambda value: str(value)[:60])
def test_ci_doc_command_runs_on_the_examples(block, command, tmp_path):
    args, output = _localise(command)
    assert EXAMPLES in args, f"no path to replace in {command!r}"
    run = subprocess.run(["etiquette-lint", *args], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300)
    expected = {0} if "--exit-zero" in args else {1}  # the examples have findings that fail
    assert run.returncode in expected, (command, run.returncode, run.stderr)
    fmt = args[args.index("--format") + 1] if "--format" in args else "text"
    if output:
        (tmp_path / output).write_text(run.stdout, encoding="utf-8")
    _check_output(fmt, run.stdout)


# -- docs/rules.md: the table of detector kinds -------------------------------------------

def test_every_detector_parameter_has_a_doc():
    from etiquette_lint.detectors import REGISTRY

    undocumented = [f"{kind}.{name}" for kind, cls in REGISTRY.items() for name, spec in cls.params.items() if not spec.doc]
    assert undocumented == []


def test_rules_doc_kind_table_is_the_generated_one():
    """docs/rules.md holds what `--explain-kinds` prints (detectors/catalog.py, from the
    registry): a kind or parameter added, or a Param doc changed, means pasting it again."""
    from click.testing import CliRunner

    printed = CliRunner().invoke(cli_main, ["--explain-kinds"])
    assert printed.exit_code == 0, printed.output
    section = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").split("\n## Detector kinds\n", 1)[1]
    lines = section.split("\n## ", 1)[0].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    assert "\n".join(lines[start:end]) + "\n" == printed.output


def test_the_coach_rule_in_docs_rules_md_works_as_written(tmp_path):
    """docs/rules.md's worked example (a term list, a rule, --test-rules) run from its own text."""
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    section = text.split("## A coach's own rule, with its own term list", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n# (coaching-rules/[\w/.-]+)\n(.*?)```", section, re.S)
    assert {name for name, _ in blocks} == {"coaching-rules/lexicons/apologies.yaml", "coaching-rules/tone.yaml"}
    for name, body in blocks:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body, encoding="utf-8")
    expected = re.search(r"\$ etiquette-lint --test-rules coaching-rules\n(.*?)\n", section).group(1)
    result = run_cli("--test-rules", "coaching-rules", cwd=tmp_path)
    assert result.stdout.decode().strip() == expected


@pytest.mark.parametrize("block, command", _commands(), ids=lambda value: str(value)[:60])
def test_ci_doc_command_fails_when_there_is_no_draft(block, command, tmp_path):
    """Issue 13, item 6: a folder of unreadable drafts went green. Every CI command, --exit-zero
    included, exits 2 when its paths hold no draft."""
    args, _ = _localise(command)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "thank-you.pdf").write_bytes(b"%PDF-1.4")
    args[args.index(EXAMPLES)] = "drafts"
    run = subprocess.run(["etiquette-lint", *args], cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, (command, run.stderr)
    assert "no drafts found in drafts" in run.stderr


def _ci_install_lines() -> list[str]:
    return [command for block in _yaml_blocks() for _, text in yaml_strings(yaml.safe_load(block))
            for command in text.splitlines() if "pip install" in command]


@pytest.mark.slow
def test_ci_doc_install_step_installs_the_tagged_release_from_a_clone(tmp_path):
    """Issue 13, item 2: `pip install etiquette-lint` found nothing on the registry. The
    recipe's own install line, its URL pointed at a clone of this checkout, offline (the
    dependencies are this environment's)."""
    from test_release import TAG, VERSION, tag_release_if_checkout_has_none

    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a Git checkout")
    lines = _ci_install_lines()
    assert len(lines) == 3 and len(set(lines)) == 1, lines  # both GitHub jobs and the GitLab job
    clone = tmp_path / "etiquette-lint"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    tag_release_if_checkout_has_none(clone)
    python, dash_m, pip, install, requirement = shlex.split(lines[0])
    assert (python, dash_m, pip, install) == ("python", "-m", "pip", "install") and requirement.endswith(f"@{TAG}")
    # pip's vendored packaging wants a host in a git+file URL: file://localhost/...
    local = requirement.replace("https://github.com/OWNER/etiquette-lint", f"file://localhost{clone.as_posix()}")
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                           "--no-index", "--target", str(target), local], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    installed = subprocess.run([sys.executable, "-c", "import etiquette_lint; print(etiquette_lint.__file__)"],
                               capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(target)}, timeout=120)
    assert installed.stdout.startswith(str(target)), installed.stdout + installed.stderr  # the copy pip just built
    version = subprocess.run([sys.executable, "-m", "etiquette_lint", "--version"], cwd=tmp_path, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(target)}, timeout=120)
    assert version.stdout.strip() == f"etiquette-lint, version {VERSION}", version.stdout + version.stderr


def test_ci_doc_changed_drafts_step_passes_non_ascii_and_option_like_names(tmp_path):
    """Issue 13, item 3: git quoted `drafts/Zoë-thanks.txt` as "drafts/Zo\\303\\253-thanks.txt" and
    the step failed with "no such file". The step's own shell, in a pull request's clone."""
    workflow = yaml.safe_load(_yaml_blocks()[0])
    step = next(s for s in workflow["jobs"]["annotate"]["steps"] if s.get("name") == "Lint changed drafts")
    git = lambda *args, cwd: subprocess.run(  # noqa: E731
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "init.defaultBranch=main", *args],
        cwd=cwd, check=True, capture_output=True, timeout=60)
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    git("init", "--quiet", cwd=upstream)
    (upstream / "notes.txt").write_text("Dear Priya,\n\nThank you for the tour of the depot.\n", encoding="utf-8")
    git("add", "-A", cwd=upstream)
    git("commit", "--quiet", "-m", "base", cwd=upstream)
    git("clone", "--quiet", str(upstream), "pr", cwd=tmp_path)
    pr = tmp_path / "pr"
    (pr / "drafts").mkdir()
    (pr / "drafts" / "Zoë-thanks.txt").write_text("Dear [Name],\n\nThank you for the tour.\n", encoding="utf-8")
    (pr / "drafts" / "--config=x.txt").write_text("Dear Priya,\n\nThank you for the tour of the depot.\n", encoding="utf-8")
    git("add", "-A", cwd=pr)
    git("commit", "--quiet", "-m", "drafts", cwd=pr)

    run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=pr, env=_env({"BASE_REF": "main", "GITHUB_ACTIONS": "true"}),
                         capture_output=True, timeout=300)
    stdout, stderr = run.stdout.decode("utf-8"), run.stderr.decode("utf-8", "replace")
    assert run.returncode == 1, stderr
    assert "no such file" not in stderr
    assert "file=drafts/Zoë-thanks.txt,line=1,col=6" in stdout, stdout
