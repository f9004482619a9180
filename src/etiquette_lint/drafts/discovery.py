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
    """Expand folders (sorted, hidden and cache folders skipped, symlink loops avoided).

    Raises MissingPath naming every path that does not exist."""
    missing = [p for p in paths if p != STDIN and not os.path.lexists(p)]
    if missing:
        raise MissingPath(", ".join(missing))
    sources: list[Source] = []
    seen: set[str] = set()
    for path in paths:
        if path == STDIN:
            sources.append(Source(STDIN, stdin_kind))
        elif os.path.isdir(path):
            for file_path in _walk(path):
                if file_path not in seen:
                    seen.add(file_path)
                    sources.append(Source(file_path))
        elif path not in seen:
            seen.add(path)
            sources.append(Source(path))
    return sources


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
