"""Which files a run lints: paths as given, folders walked, `-` for standard input."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

from ..findings import Problem
from .loader import DRAFT_SUFFIXES, unreadable

SKIPPED_FOLDERS = {"node_modules", "__pycache__"}
STDIN = "-"


@dataclass(frozen=True)
class Source:
    """A draft to read: `path` as the user will see it; `kind` forced for stdin."""

    path: str
    kind: str | None = None


class MissingPath(Exception):
    pass


def is_draft_file(name: str) -> bool:
    return name.lower().endswith(DRAFT_SUFFIXES)


def discover(paths: list[str], stdin_kind: str = "txt", problems: list[Problem] | None = None,
             excluded: Callable[..., bool] = lambda path, below=None: False) -> list[Source]:
    """Expand folders (sorted, hidden and cache folders skipped, symlink loops avoided); a file
    or folder the walk meets for which `excluded(path, folder given)` is true (the config's
    `exclude`, on the parts of the path under the folder given) is skipped, while paths given
    are always read. A folder
    the walk skips (a symlink leaving the folder given, one it cannot list) is appended to
    `problems` as a Problem naming it: a warning for a symlink, an error for lost drafts. A draft
    reached twice (`x` and `./x`, a folder and a file in it, a link to it) is read once, under
    the first name it was reached by.

    Raises MissingPath naming every path that does not exist."""
    missing = [p for p in paths if p != STDIN and not os.path.lexists(p)]
    if missing:
        raise MissingPath(", ".join(missing))
    sources: list[Source] = []
    seen: set[tuple] = set()
    for path in paths:
        if path == STDIN:
            sources.append(Source(STDIN, stdin_kind))
            continue
        found = _walk(path, problems if problems is not None else [], excluded) if os.path.isdir(path) else [path]
        for file_path in found:
            identity = _identity(file_path)
            if identity not in seen:
                seen.add(identity)
                sources.append(Source(file_path))
    return sources


def _identity(path: str) -> tuple:
    """What makes two names one draft: the file's device and inode where the system has them
    (links included), else its resolved path."""
    try:
        info = os.stat(path)
    except OSError:  # read_source reports it; two such names are one if they resolve alike
        return ("path", os.path.normcase(os.path.realpath(path)))
    if info.st_ino:
        return ("inode", info.st_dev, info.st_ino)
    return ("path", os.path.normcase(os.path.realpath(path)))


def _walk(root: str, problems: list[Problem], excluded: Callable[..., bool]):
    """The drafts under `root`, depth first in name order (a folder's files, then each
    subfolder), without recursion. A folder symlink whose target leaves `root` is not followed,
    a folder that cannot be listed is not entered; each becomes a problem naming it."""
    top = os.path.realpath(root)
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            problems.append(Problem(folder, f"folder cannot be read ({exc.strerror or exc}); the drafts in it are not linted", "error"))
            continue
        if (info.st_dev, info.st_ino) in visited:  # a symlink loop, or a folder reached twice
            continue
        visited.add((info.st_dev, info.st_ino))
        subfolders = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            path = _shown(root, os.path.join(folder, name))
            if excluded(path, root):
                continue
            if _is_folder(entry):
                if name in SKIPPED_FOLDERS:
                    continue
                if entry.is_symlink() and not _inside(os.path.realpath(path), top):
                    problems.append(Problem(path, f"folder symlink to {os.path.realpath(path)}, outside {root}; not followed"))
                    continue
                subfolders.append(path)
            elif is_draft_file(name):
                yield path
            elif not_read := unreadable(path, "warning"):  # a draft kept as .doc or .pdf: said, not lost in silence
                problems.append(not_read)
        stack.extend(reversed(subfolders))


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows a symlink
    except OSError:
        return False


def _inside(path: str, top: str) -> bool:
    try:
        return os.path.commonpath([path, top]) == top
    except ValueError:  # another drive on Windows
        return False


def _shown(root: str, path: str) -> str:
    """`.` walked: "sub/b.md" like "a.txt", not "./sub/b.md"."""
    return path[2:] if root == "." and path.startswith("./") else path
