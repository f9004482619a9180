#!/usr/bin/env python3
"""How reading an `.eml` grows with its size: the line mapping must stay linear (issue 14, item 3).

    .venv/bin/python benchmarks/eml_sizes.py            # 25k to 400k body lines, doubling
    .venv/bin/python benchmarks/eml_sizes.py --lines 100000 200000

For each size it times `load_draft` (what a run does per draft) on three messages whose body
lines are all short: base64 (nothing verbatim), plain UTF-8 (found line by line) and Latin-1 in
a file read as UTF-8 (no line found verbatim). It prints the seconds and the time per 100k
lines; a linear reader keeps that last column flat as the size doubles (the quadratic one
doubled it: 11.1 s for the 270 KB base64 message). The limit is raised so that every size is
mapped, not skipped."""
from __future__ import annotations

import argparse
import base64
import time

from etiquette_lint.drafts.loader import load_draft

HEADERS = "To: Ana <ana@corp.example>\nSubject: Thank you ’\nDate: Tue, 3 Nov 2026 10:00:00 +0000\n"


def base64_message(lines: int) -> bytes:
    body = base64.encodebytes(("Dear [Name],\n" + "ok\n" * lines).encode()).decode()
    return (HEADERS + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + body).encode()


def plain_message(lines: int) -> bytes:
    body = "Dear [Name],\n" + "".join(f"line {n}\n" for n in range(lines))
    return (HEADERS + "Content-Type: text/plain; charset=utf-8\n\n" + body).encode()


def latin1_message(lines: int) -> bytes:
    body = "Dear [Name],\n" + "café ok\n" * lines
    return (HEADERS + "Content-Type: text/plain; charset=latin-1\n\n").encode() + body.encode("latin-1")


MESSAGES = {"base64": base64_message, "plain": plain_message, "latin-1": latin1_message}


def seconds_to_load(data: bytes) -> float:
    started = time.perf_counter()
    draft, problems = load_draft("bench.eml", data, max_bytes=len(data) * 2)
    elapsed = time.perf_counter() - started
    if draft is None:
        raise SystemExit(f"not loaded: {problems}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[25_000, 50_000, 100_000, 200_000, 400_000])
    args = parser.parse_args()
    print("| message | body lines | file bytes | seconds | s per 100k lines |")
    print("|---|---:|---:|---:|---:|")
    for name, build in MESSAGES.items():
        for lines in args.lines:
            data = build(lines)
            elapsed = seconds_to_load(data)
            print(f"| {name} | {lines:,} | {len(data):,} | {elapsed:.2f} | {elapsed / lines * 100_000:.2f} |", flush=True)


if __name__ == "__main__":
    main()
