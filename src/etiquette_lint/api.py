"""The one entry point for the CLI, hooks and other programs: lint(paths) -> LintResult.

No printing, no exiting: callers decide what to show. Importing this module does not import
spaCy; the pipeline loads only when a rule needs it on a draft."""
from __future__ import annotations

import glob
import os
import stat
import sys
from dataclasses import dataclass, field
from typing import Iterable

from .config import Config, find_config, load_config
from .decision import apply_selection, select_for_path
from .drafts import Draft, Source, discover, load_draft
from .drafts.discovery import is_draft_file
from .drafts.limits import MAX_FILE_BYTES, eml_limit
from .drafts.loader import kind_of, too_large
from .engine import Engine
from .findings import Finding, Problem, Severity, sorted_findings
from .parallel import TwoStage
from .ruleset import Rule, RuleSet, load_ruleset
from .suppression import apply_directives, known_names


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0  # drafts read and linted
    tracebacks: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)  # the rules that ran (for reporters that describe them)
    fail_on: dict[str, Severity] = field(default_factory=dict)  # each linted path's failing threshold (its config)
    notices: list[str] = field(default_factory=list)  # about the run, not the drafts (cache trouble); for stderr
    excluded: int = 0  # paths named but skipped by force-exclude
    found: int = 0  # drafts the paths led to (read or not)


@dataclass
class LintOptions:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    model: str | None = None
    gating: bool = True
    stdin_kind: str = "txt"
    max_file_size: int | None = None  # bytes; default: the config's max-file-size, else MAX_FILE_BYTES
    cache: bool = False  # reuse findings of unchanged drafts (cache.py); the CLI turns it on
    cache_dir: str | None = None  # default: .etiquette-lint-cache/ beside the config file, else here
    force_exclude: bool = False  # the config's exclusions apply to paths named too (the pre-commit hook)
    jobs: int = 1  # processes for a large run: this one and jobs-1 deep-pass workers (parallel.py; the CLI picks 2 on two cores)


def resolve_config(paths: list[str], config_path: str | None) -> Config:
    if config_path:
        return load_config(config_path)
    first = next((p for p in paths if p != "-"), ".")
    return load_config(find_config(first))


def build_engine(config: Config, options: LintOptions, ruleset: RuleSet | None = None) -> Engine:
    ruleset = ruleset or load_ruleset(config.rules)
    rules = apply_selection(ruleset.rules, config, options.select or config.run_select(), options.ignore)
    selected = RuleSet(rules, ruleset.signals, ruleset.files, ruleset.lexicons)
    runner = TwoStage(options.jobs) if options.jobs > 1 else None  # the deep pass in worker processes (parallel.py)
    engine = Engine(selected, model=options.model or config.model, gating=options.gating, known_names=known_names(ruleset.rules),
                    runner=runner)
    if options.cache:
        from .cache import CachedEngine

        return CachedEngine(engine, config, options.cache_dir)
    return engine


def max_file_bytes(options: LintOptions | None, config: Config | None) -> int:
    """The size above which a draft is skipped: --max-file-size, else the config's, else 1 MB."""
    return (options and options.max_file_size) or (config and config.max_file_size) or MAX_FILE_BYTES


def read_source(source: Source, stdin: bytes | None = None, max_bytes: int = MAX_FILE_BYTES) -> tuple[Draft | None, list[Problem]]:
    """Read one draft; any OS error, a file that is not a regular file, or one larger than
    `max_bytes` (checked before reading) becomes a Problem naming the file."""
    kind = source.kind or kind_of(source.path)
    limit = eml_limit(max_bytes) if kind == "eml" else max_bytes
    try:
        if source.path == "-":
            data = stdin if stdin is not None else sys.stdin.buffer.read(limit + 1)
        else:
            info = os.stat(source.path)
            if not stat.S_ISREG(info.st_mode):
                what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (FIFO, socket or device)"
                return None, [Problem(source.path, f"cannot read: {what}; skipped", "error")]
            if info.st_size > limit:
                return None, [too_large(source.path, info.st_size, limit)]
            with open(source.path, "rb") as handle:
                data = handle.read(limit + 1)  # the file may have grown since
    except OSError as exc:
        return None, [Problem(source.path, f"cannot read: {exc.strerror or exc}", "error")]
    return load_draft(source.path, data, source.kind, max_bytes)


def sibling_history(drafts: list[Draft], config: Config) -> list[Draft]:
    """Other drafts in the linted drafts' folders, plus the config's `history` globs (context only)."""
    linted = {os.path.normpath(d.path) for d in drafts}
    paths: list[str] = []
    # Only drafts that are files on disk have siblings: not stdin, not lint_text("<text>").
    for folder in sorted({d.folder for d in drafts if d.path != "-" and os.path.isfile(d.path)}):
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        paths += [os.path.join(folder, n) if folder else n for n in names if is_draft_file(n)]
    for pattern in config.history:
        paths += sorted(glob.glob(pattern, recursive=True))
    history = []
    for path in dict.fromkeys(paths):
        if os.path.normpath(path) in linted or not os.path.isfile(path):
            continue
        draft, _ = read_source(Source(path), max_bytes=max_file_bytes(None, config))
        if draft is not None:
            history.append(draft)
    return history


def lint(paths: list[str], config: Config | None = None, options: LintOptions | None = None,
         engine: Engine | None = None, stdin: bytes | None = None) -> LintResult:
    """Lint files and folders (`-` is standard input). Raises MissingPath, ConfigError, PipelineError.

    With no `config` (and no `engine`), each file uses its nearest config upward
    (.etiquette-lint.yaml, or pyproject.toml with [tool.etiquette-lint]); a given `config`
    applies to every file. Either way its `per-path:` entries apply per file."""
    options = options or LintOptions()
    skipped: list[Problem] = []  # folders the walk did not enter
    excluded = _Exclusions(config)
    forced = lambda path: options.force_exclude or excluded.forced(path)  # noqa: E731
    named = [path for path in paths if not (forced(path) and excluded(path))]  # forced first: a named file compiles no glob
    sources = discover(named, options.stdin_kind, skipped, excluded)
    if config is None and engine is None:
        result = _lint_by_config(sources, options, stdin, excluded)
    else:
        config = config or Config()
        engine = engine or build_engine(config, options)
        result = lint_drafts(_read_all(sources, stdin, max_file_bytes(options, config)), engine, config, options, len(sources))
    result.problems[:0] = skipped
    result.excluded = len(paths) - len(named)
    result.found = len(sources)
    return result


class _Exclusions:
    """`excluded(path)`: whether the config that applies to `path` (the one given, else the
    nearest one) excludes it; `forced(path)`: whether that config sets force-exclude. Each
    config file is read once (`load`), and the lint that follows reuses what was read."""

    def __init__(self, config: Config | None) -> None:
        self.config = config
        self.found: dict[str, str | None] = {}  # folder -> its config file
        self.loaded: dict[str | None, Config] = {}  # config file -> the config

    def load(self, config_path: str | None) -> Config:
        if config_path not in self.loaded:
            self.loaded[config_path] = load_config(config_path)
        return self.loaded[config_path]

    def config_for(self, path: str) -> Config:
        if self.config is not None:
            return self.config
        folder = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
        if folder not in self.found:
            self.found[folder] = find_config(folder)
        return self.load(self.found[folder])

    def __call__(self, path: str, below: str | None = None) -> bool:
        try:
            return path != "-" and self.config_for(path).is_excluded(path, below)
        except OSError:  # a path too long to look up: not excluded, and the walk reports it
            return False

    def forced(self, path: str) -> bool:
        return path != "-" and self.config_for(path).force_exclude


def _lint_by_config(sources: list[Source], options: LintOptions, stdin: bytes | None, configs: "_Exclusions") -> LintResult:
    """One engine per discovered config file; results merged. Drafts of one folder share a
    config, so the cadence rule still sees the whole folder."""
    groups: dict[str | None, list[Source]] = {}
    found: dict[str, str | None] = {}
    for source in sources:
        folder = os.path.dirname(source.path) if source.path != "-" else "."
        if folder not in found:
            found[folder] = find_config(source.path if source.path != "-" else ".")
        groups.setdefault(found[folder], []).append(source)
    merged = LintResult()
    rulesets: dict[tuple[str, ...], RuleSet] = {}  # configs naming the same rule folders share one load
    for config_path, group in groups.items():
        config = configs.load(config_path)
        folders = tuple(config.rules)
        if folders not in rulesets:
            rulesets[folders] = load_ruleset(list(folders))
        engine = build_engine(config, options, rulesets[folders])
        part = lint_drafts(_read_all(group, stdin, max_file_bytes(options, config)), engine, config, options, len(group))
        merged.findings += part.findings
        merged.problems += part.problems
        merged.files += part.files
        merged.tracebacks += part.tracebacks
        merged.notices += part.notices
        merged.fail_on.update(part.fail_on)
        known = {r.id for r in merged.rules}
        merged.rules += [r for r in part.rules if r.id not in known]
    merged.findings = sorted_findings(merged.findings)
    return merged


def _read_all(sources: Iterable[Source], stdin: bytes | None,
              max_bytes: int = MAX_FILE_BYTES) -> Iterable[tuple[Draft | None, list[Problem]]]:
    for source in sources:
        yield read_source(source, stdin, max_bytes)


def lint_drafts(read: Iterable[tuple[Draft | None, list[Problem]]], engine: Engine, config: Config,
                options: LintOptions | None = None, expected: int | None = None) -> LintResult:
    """Lint what `read` yields; `expected`, the number of drafts coming, lets a large run start
    its deep-pass workers before reading (parallel.py)."""
    result = LintResult(rules=list(engine.rules))
    cli_select, cli_ignore = (options.select, options.ignore) if options else ([], [])
    drafts: list[Draft] = []
    try:
        if expected is not None:
            engine.prepare(expected)
        for draft, problems in read:
            result.problems.extend(problems)
            if draft is not None:
                drafts.append(draft)
        history = sibling_history(drafts, config) if engine.needs_history(drafts) else []
        findings: list[Finding] = []
        for outcome in engine.lint(drafts, history):
            # Selection per file and suppression directives, after detection (decision.py, suppression.py).
            kept = select_for_path(outcome.findings, config, outcome.draft.path, cli_select, cli_ignore)
            findings.extend(apply_directives(kept, outcome.draft, engine.known_names))
            result.fail_on[outcome.draft.path] = config.for_path(outcome.draft.path).fail_on
            result.problems.extend(outcome.problems)
            result.files += 1
    finally:
        engine.close()
    result.findings = sorted_findings(findings)
    result.tracebacks = list(engine.tracebacks)
    result.notices = list(getattr(engine, "notices", ()))
    return result


def lint_text(text: str, path: str = "<text>", kind: str = "txt", config: Config | None = None,
              options: LintOptions | None = None, engine: Engine | None = None) -> LintResult:
    """Lint one draft given as a string (editors, services, rule examples)."""
    config = config or Config()
    engine = engine or build_engine(config, options or LintOptions())
    data = text.encode("utf-8", errors="replace")  # a lone surrogate becomes '?', one for one
    return lint_drafts([load_draft(path, data, kind, max_file_bytes(options, config))], engine, config)
