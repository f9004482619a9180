"""The content cache: a draft's findings, kept on disk and reused while nothing they depend on changes.

`CachedEngine` wraps an `Engine` so that only cache misses reach the pipeline; everything
after detection (per-path selection, suppression, reporting) still runs in api.lint_drafts,
on cached and fresh findings alike.

What a cached result depends on, and so what its key hashes:
- the draft as read: its linted text, context (front matter / e-mail headers), line map,
  signature, directives and path. Reading is a pure function of the file's bytes and the
  reader's code, and the code is in the key, so this is the bytes' content in effect;
- the run: the package version and a fingerprint of its source files (an editable install
  changes code without changing the version), the effective config, the rule files'
  contents and the selected rules as configured, the spaCy pipeline's name and version
  (read without importing spaCy) and spaCy's and textstat's versions, and gating.

The cadence rule is never cached. Its result for one draft depends on the other drafts to
the same recipient (their dates and types, and a type may be inferred from their text), so
a correct key would have to read the same sibling files that computing it reads. It needs
no spaCy and costs well under a millisecond per draft, so it runs fresh on every run, over
all drafts and their history, and its findings are merged with the cached ones.

Results with an internal error are not stored, so `--debug` can show the traceback again.

Layout: `.etiquette-lint-cache/` beside the config file (else the current folder) holds a
`.gitignore` (`*`), a `CACHEDIR.TAG`, and one folder per run key with one small JSON file
per draft, each written to a temporary file and renamed into place, so concurrent runs
(pre-commit's parallel batches) never see half an entry. Run folders unused for
`PRUNE_AFTER_DAYS` are removed when a new one is made. A corrupt entry is a miss and is
rewritten; a cache that cannot be read or written is bypassed. Either way the run goes on
and `notices` says what happened (the CLI prints them on stderr).

Entries are checked, never trusted (issue 14, item 7). Each names the run key and the draft
key it was made for, every field is checked for its type, and the whole is signed with an
HMAC whose key is made once per machine and kept in the user's cache folder
(`~/.cache/etiquette-lint/cache-key`), outside any repository: an entry edited by hand,
copied to another draft's key or committed from another machine is a miss and is rewritten.
With no place for that key the run goes on without the cache, with a notice."""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import hmac
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Iterator

from . import __version__
from .drafts.model import Draft
from .engine import DraftResult, Engine
from .findings import Finding, Problem, Severity
from .lazyregex import PATTERN_TYPES

FOLDER_NAME = ".etiquette-lint-cache"
FORMAT = 2  # bump when the entry layout changes
PRUNE_AFTER_DAYS = 14
_RUN_FOLDER = re.compile(r"^[0-9a-f]{16}$")
_GITIGNORE = "# Created by etiquette-lint: a local cache, never committed.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by etiquette-lint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def default_folder(config_source: str | None) -> Path:
    """`.etiquette-lint-cache/` beside the config file, else in the current folder."""
    base = os.path.dirname(os.path.abspath(config_source)) if config_source else os.getcwd()
    return Path(base) / FOLDER_NAME


# -- keys ---------------------------------------------------------------------------------
def plain(value: Any) -> Any:
    """Plain JSON-ready data for hashing: dataclasses by field, dates as ISO text, enums by value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return [[plain(k), plain(v)] for k, v in sorted(value.items(), key=lambda item: repr(item[0]))]
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=repr)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, PATTERN_TYPES):
        return [value.pattern, value.flags]
    return repr(value)


def digest(value: Any) -> str:
    data = json.dumps(plain(value), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the package's own source files."""
    sha = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        sha.update(str(path.relative_to(root)).encode())
        try:
            sha.update(path.read_bytes())
        except OSError:
            sha.update(b"?")
    return sha.hexdigest()


def _dist_version(name: str) -> str:
    from .pipeline import installed_version

    return installed_version(name) or "absent"


def _pipeline(model: str | None) -> list[str]:
    from .pipeline import PipelineError, model_version, resolve_model_name

    try:
        name = resolve_model_name(model)
    except PipelineError:  # reported by the engine if and when a rule needs the pipeline
        return [str(model), "absent"]
    return [name, model_version(name)]


def _file_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def run_key(engine: Engine, config: Any = None) -> str:
    """What every draft's result depends on besides the draft itself."""
    rules = [
        [r.id, r.severity, r.message, r.suggestion, r.detector.kind, r.detector.config, r.detector.explicit_triggers,
         r.when, r.unless, r.require]
        for r in engine.rules
    ]
    return digest({
        "format": FORMAT,
        "package": __version__,
        "code": code_fingerprint(),
        "config": config,
        "rule-files": [[path, _file_hash(path)] for path in engine.ruleset.files],
        "rules": rules,
        "pipeline": _pipeline(engine.model),
        "spacy": _dist_version("spacy"),
        "textstat": _dist_version("textstat"),
        "gating": engine.gating,
    })


def draft_key(run: str, draft: Draft) -> str:
    return digest([run, draft])


# -- the per-machine key -------------------------------------------------------------------
_KEY = re.compile(r"^[0-9a-f]{64}$")


def key_folder() -> Path:
    """The user's cache folder for this tool, outside any repository: where the key lives."""
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~/AppData/Local")
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "etiquette-lint"


def machine_key(folder: Path) -> bytes:
    """This machine's key for signing entries, made on first use (readable by its owner only).
    Raises OSError when it can be neither read nor made, ValueError when it is damaged."""
    path = folder / "cache-key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _write_new(path, os.urandom(32).hex())
    text = path.read_text(encoding="ascii", errors="replace").strip()
    if not _KEY.match(text):
        raise ValueError(f"{path} is damaged; delete it and a new one is made")
    return bytes.fromhex(text)


def _write_new(path: Path, text: str) -> None:
    """Write `path` unless another run made it meanwhile (a hard link never replaces a file)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(text + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)


# -- entries ------------------------------------------------------------------------------
# Each field of a stored finding or problem and the types it may hold.
_FINDING_FIELDS = {"path": str, "line": int, "column": int, "end_line": int, "end_column": int, "rule": str,
                   "category": str, "severity": str, "message": str, "suggestion": (str, type(None))}
_PROBLEM_FIELDS = {"path": str, "message": str, "level": str, "line": (int, type(None)), "rule": (str, type(None))}
_LEVELS = ("warning", "error")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and newline aside: a rule's text may hold them


def _sign(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _dump(result: DraftResult, run: str, draft_key: str, key: bytes) -> str:
    """The entry's text: its HMAC on the first line, then the JSON it signs."""
    body = json.dumps({
        "format": FORMAT,
        "run": run,
        "draft": draft_key,
        "findings": [{f.name: plain(getattr(finding, f.name)) for f in dataclasses.fields(Finding)} for finding in result.findings],
        "problems": [dataclasses.asdict(problem) for problem in result.problems],
    }, ensure_ascii=False)
    return f"{_sign(key, body)}\n{body}"


def _load(text: str, draft: Draft, run: str, draft_key: str, key: bytes) -> DraftResult:
    """A stored entry back as a DraftResult; raises ValueError when it is not one this machine
    wrote for this draft in this run, or not the shape one would be."""
    mac, _, body = text.partition("\n")
    if not hmac.compare_digest(mac, _sign(key, body)):
        raise ValueError("signature does not match")
    data = json.loads(body)
    if not isinstance(data, dict) or (data.get("format"), data.get("run"), data.get("draft")) != (FORMAT, run, draft_key):
        raise ValueError("entry is for another draft or run")
    findings = [_finding(item, draft.path) for item in _list(data, "findings")]
    problems = [_problem(item, draft.path) for item in _list(data, "problems")]
    return DraftResult(draft, findings, problems)


def _list(data: dict, name: str) -> list:
    value = data.get(name)
    if not isinstance(value, list):
        raise ValueError(f"{name}: not a list")
    return value


def _checked(item: Any, fields: dict[str, Any], path: str) -> dict:
    """`item` if it has exactly `fields`, each of its type (no bool for int, positions from 1,
    no control characters), for the draft at `path`."""
    if not isinstance(item, dict) or set(item) != set(fields):
        raise ValueError("fields differ")
    for name, kind in fields.items():
        value = item[name]
        if isinstance(value, bool) or not isinstance(value, kind):
            raise ValueError(f"{name}: wrong type")
        if isinstance(value, int) and value < 1 or isinstance(value, str) and _CONTROL.search(value):
            raise ValueError(f"{name}: impossible value")
    if item["path"] != path:
        raise ValueError("entry is for another path")
    return item


def _finding(item: Any, path: str) -> Finding:
    item = _checked(item, _FINDING_FIELDS, path)
    return Finding(**{**item, "severity": Severity(item["severity"])})


def _problem(item: Any, path: str) -> Problem:
    item = _checked(item, _PROBLEM_FIELDS, path)
    if item["level"] not in _LEVELS:
        raise ValueError("level: unknown")
    return Problem(**item)


class Cache:
    """One folder of entries for one run key; never raises for I/O trouble, it records a notice."""

    def __init__(self, root: Path, run: str, keys: Path | None = None) -> None:
        self.root = Path(root)
        self.run = run
        self.folder = self.root / run[:16]
        self.notices: list[str] = []
        self.readable = True
        self.writable = True
        self.corrupt = 0
        self._prepared = False
        self._keys = keys
        self._key: bytes | None = None

    def _signing_key(self) -> bytes | None:
        """The machine key, read once; without one the cache is off for this run (an unsigned
        entry could be forged), with a notice."""
        if self._key is None and self.readable:
            folder = self._keys or key_folder()
            try:
                self._key = machine_key(folder)
            except (OSError, ValueError) as exc:
                self.readable = self.writable = False
                reason = _reason(exc) if isinstance(exc, OSError) else str(exc)
                self._trouble(f"cannot keep the cache key in {folder} ({reason}); linting without the cache")
        return self._key

    def get(self, key: str, draft: Draft) -> DraftResult | None:
        signing_key = self._signing_key()
        if not self.readable or signing_key is None:
            return None
        path = self.folder / f"{key[:40]}.json"
        try:
            text = path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):  # not there (yet): a miss
            return None
        except UnicodeDecodeError:
            self.corrupt += 1
            return None
        except OSError as exc:
            self.readable = False
            self._trouble(f"cannot read the cache in {self.root} ({_reason(exc)}); linting without it")
            return None
        try:
            return _load(text, draft, self.run, key, signing_key)
        except (ValueError, RecursionError):  # json: a decode error, or nesting too deep
            self.corrupt += 1
            return None

    def put(self, key: str, result: DraftResult) -> None:
        signing_key = self._signing_key()
        if not self.writable or signing_key is None:
            return
        try:
            data = _dump(result, self.run, key, signing_key)
        except (TypeError, ValueError):  # a field that is not plain data: skip this entry
            return
        try:
            self._prepare()
            _atomic_write(self.folder / f"{key[:40]}.json", data)
        except OSError as exc:
            self.writable = False
            self._trouble(f"cannot write the cache in {self.root} ({_reason(exc)}); results are not cached")

    def _trouble(self, message: str) -> None:
        if not self.notices:  # one notice per run is enough
            self.notices.append(message)

    def finish(self) -> list[str]:
        """Notices of this run (corrupt entries are rewritten as they are found)."""
        if self.corrupt:
            what = "entry was" if self.corrupt == 1 else "entries were"
            rebuilt = "rebuilt" if self.writable else "ignored"
            self.notices.append(f"{self.corrupt} corrupt cache {what} {rebuilt} in {self.root}")
            self.corrupt = 0
        notices, self.notices = self.notices, []
        return notices

    def _prepare(self) -> None:
        if self._prepared:
            return
        fresh = not self.root.exists()
        self.root.mkdir(parents=True, exist_ok=True)
        # Only a folder this cache made (or one named like it) gets the ignore-everything
        # .gitignore and pruning: `--cache-dir .` must not hide or delete a user's files.
        ours = fresh or self.root.name == FOLDER_NAME or _is_tagged(self.root)
        if ours:
            for name, content in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
                if fresh or not (self.root / name).exists():
                    _atomic_write(self.root / name, content)
        if not self.folder.is_dir():
            self.folder.mkdir(exist_ok=True)
            if ours:
                self._prune()
        else:
            os.utime(self.folder)  # marks it as in use, for pruning
        self._prepared = True

    def _prune(self) -> None:
        """Remove run folders nobody has used for a while (rules or config changed since)."""
        limit = time.time() - PRUNE_AFTER_DAYS * 86400
        try:
            for entry in os.scandir(self.root):
                if entry.is_dir(follow_symlinks=False) and _RUN_FOLDER.match(entry.name) and entry.stat().st_mtime < limit:
                    shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            pass


def _is_tagged(folder: Path) -> bool:
    try:
        return "etiquette-lint" in (folder / "CACHEDIR.TAG").read_text(encoding="utf-8", errors="replace")[:300]
    except OSError:
        return False


def _atomic_write(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


# -- the engine behind the cache ------------------------------------------------------------
class CachedEngine:
    """An Engine whose `lint` answers from the cache where it can and runs the rest.

    Everything else (rules, across_rules, known_names, tracebacks ...) is the wrapped
    engine's, so callers treat it as an Engine."""

    def __init__(self, engine: Engine, config: Any = None, folder: str | os.PathLike | None = None) -> None:
        self.engine = engine
        source = getattr(config, "source", None)
        self.cache = Cache(Path(folder) if folder else default_folder(source), run_key(engine, config))
        cadence = [r for r in engine.rules if r.detector.across_drafts]
        self._per_draft = engine.restricted([r for r in engine.rules if r not in cadence])
        self._cadence = engine.restricted(cadence) if cadence else None
        self.hits = self.misses = 0
        self.notices: list[str] = []  # what the last run should tell the user (cache trouble)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)

    def prepare(self, drafts_expected: int) -> None:
        """Start deep-pass workers early only if many drafts will miss: more drafts are coming
        than this run's cache folder holds entries (a guess; a wrong one costs a worker)."""
        if not self._per_draft.runner.wants_workers(self._per_draft, drafts_expected):
            return  # a small run (a pre-commit batch): no worker, and no need to count entries
        try:
            stored = sum(1 for _ in os.scandir(self.cache.folder))
        except OSError:
            stored = 0
        self._per_draft.prepare(drafts_expected - stored)

    def close(self) -> None:
        self._per_draft.close()

    def lint(self, drafts: Iterable[Draft], history: Iterable[Draft] = ()) -> Iterator[DraftResult]:
        self.notices = []
        drafts = list(drafts)
        keys = [draft_key(self.cache.run, d) for d in drafts]
        results: list[DraftResult | None] = [self.cache.get(k, d) for k, d in zip(keys, drafts)]
        missing = [i for i, r in enumerate(results) if r is None]
        self.hits += len(drafts) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = self._per_draft.lint([drafts[i] for i in missing])
            for index, result in zip(missing, fresh):
                results[index] = result
                if not any(p.level == "error" for p in result.problems):
                    self.cache.put(keys[index], result)
        # Only dated drafts can be judged or count in a thread: the others need no cadence pass.
        dated = [d for d in drafts if d.context.date is not None]
        cadence = self._cadence.lint(dated, history) if self._cadence and dated else iter(())
        by_draft = {id(r.draft): r for r in cadence}
        for result in results:
            extra = by_draft.get(id(result.draft))
            if extra is not None:
                result.findings = result.findings + extra.findings
                result.problems = result.problems + extra.problems
            yield result
        self.notices = self.cache.finish()
