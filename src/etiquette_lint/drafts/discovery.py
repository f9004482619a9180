"""Which files a run lints: paths as given, folders walked, `-` for standard input."""
from __future__ import annotations

import os
from dataclasses import dataclass

from .loader import DRAFT_SUFFIXES

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


def discover(paths: list[str], stdin_kind: str = "txt") -> list[Source]:
    """Expand folders (sorted, hidden and cache folders skipped, symlink loops avoided). A draft
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
        for file_path in _walk(path) if os.path.isdir(path) else [path]:
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


def _walk(root: str):
    visited: set[tuple[int, int]] = set()
    for folder, subfolders, files in os.walk(root, followlinks=True):
        try:
            stat = os.stat(folder)
            identity = (stat.st_dev, stat.st_ino)
        except OSError:
            continue
        if identity in visited:
            subfolders[:] = []
            continue
        visited.add(identity)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        for name in sorted(files):
            if is_draft_file(name) and not name.startswith("."):
                path = os.path.join(folder, name)
                # `.` walked: "sub/b.md" like "a.txt", not "./sub/b.md"
                yield path[2:] if root == "." and path.startswith("./") else path
