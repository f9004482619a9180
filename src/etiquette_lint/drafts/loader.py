"""Turn a file's bytes into a Draft: decode, front matter or headers, blank what is not prose."""
from __future__ import annotations

import os
from dataclasses import replace

from ..findings import Problem
from . import regions
from .decode import decode_bytes
from .directives import read_directives
from .frontmatter import parse_front_matter
from .header_lines import read_header_lines
from .limits import MAX_FILE_BYTES, describe, eml_limit
from .markdown import markup_ranges
from .model import Draft, LineMap

DRAFT_SUFFIXES = (".txt", ".md", ".eml", ".docx", ".html", ".htm")
# Formats drafts are kept in that are not read: a folder walk names each (a warning), a file
# named on the command line is an error.
UNREADABLE_SUFFIXES = {
    ".doc": "save it as .docx", ".docm": "save it as .docx", ".dot": "save it as .docx", ".dotx": "save it as .docx",
    ".odt": "save it as .docx", ".rtf": "save it as .docx", ".pages": "export it as .docx", ".wpd": "save it as .docx",
    ".pdf": "lint the .docx, .txt or .md it was made from", ".msg": "save the message as .eml",
}


def kind_of(path: str) -> str:
    suffix = os.path.splitext(path)[1].lower()
    return {".md": "md", ".markdown": "md", ".eml": "eml", ".docx": "docx", ".html": "html", ".htm": "html"}.get(suffix, "txt")


def unreadable(path: str, level: str = "error") -> Problem | None:
    """A Problem naming a file in a format that is not read, or None."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in UNREADABLE_SUFFIXES:
        return None
    return Problem(path, f"cannot read {suffix} files ({UNREADABLE_SUFFIXES[suffix]}); skipped", level)


def load_draft(path: str, data: bytes, kind: str | None = None,
               max_bytes: int = MAX_FILE_BYTES) -> tuple[Draft | None, list[Problem]]:
    """A Draft, or None with the reason when the file cannot be linted at all (binary, too
    large). Never raises: a draft that breaks the reader is reported and skipped."""
    if kind is None and (not_read := unreadable(path)):
        return None, [not_read]
    kind = kind or kind_of(path)
    limit = eml_limit(max_bytes) if kind == "eml" else max_bytes
    if len(data) > limit:
        return None, [too_large(path, len(data), limit)]
    try:
        draft, problems = _load(path, data, kind, max_bytes)
    except Exception as exc:  # a reader bug on one odd file must not stop the run
        return None, [Problem(path, f"cannot be read ({exc.__class__.__name__}: {str(exc)[:200]}); skipped", "error")]
    # (a message the e-mail reader could not parse is linted as text, measured only here)
    if draft is not None and kind == "eml" and len(draft.text.encode("utf-8", "surrogatepass")) > max_bytes:
        return None, problems + [text_part_too_large(path, max_bytes)]
    return draft, problems


def text_part_too_large(path: str, max_bytes: int) -> Problem:
    return Problem(path, f"text part larger than {describe(max_bytes)}; skipped (max-file-size)", "error")


def too_large(path: str, size: int, limit: int) -> Problem:
    return Problem(path, f"larger than {describe(limit)} ({size:,}); skipped (raise it with --max-file-size)", "error")


def _load(path: str, data: bytes, kind: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[Draft | None, list[Problem]]:
    if kind == "docx":
        from .docx_reader import UnreadableDocx, read_docx

        try:
            text, line_map = read_docx(data)
        except UnreadableDocx as exc:
            return None, [Problem(path, f"cannot be read as a Word document ({exc}); skipped", "error")]
        return _text_draft(path, text, "docx", [], line_map), []
    decoded = decode_bytes(data)
    if decoded.text is None:
        return None, [Problem(path, decoded.warning or "cannot be decoded; skipped", "error")]
    problems = [Problem(path, decoded.warning)] if decoded.warning else []
    if kind == "eml":
        draft = _email_draft(path, data, decoded.text, problems, max_bytes)
    elif kind == "html":
        from .html_reader import read_html

        shown, line_map = read_html(decoded.text)
        draft = _text_draft(path, shown, kind, problems, line_map)
    else:
        draft = _text_draft(path, decoded.text, kind, problems)
    return draft, problems


def _text_draft(path: str, text: str, kind: str, problems: list[Problem], line_map: LineMap | None = None) -> Draft:
    """A draft from text: the file's own (`line_map` None) or a Word or HTML file's shown text."""
    front = parse_front_matter(text)
    problems.extend(Problem(path, message, "warning", line) for line, message in front.problems)
    # `Subject:`, `To:`, `Date:` ... lines at the top are headers, as in an .eml: context, not prose.
    headers = read_header_lines(text, front.end, text.count("\n", 0, front.end) + 1)
    context, header_problems = headers.context(front.context)
    problems.extend(Problem(path, message, "warning", line) for line, message in header_problems)
    hidden: list[regions.Range] = [(0, headers.end)]
    hidden += regions.quoted_mail_ranges(text, headers.end)
    hidden += regions.code_ranges(text)
    hidden += regions.html_comment_ranges(text)
    if kind == "md":
        hidden += markup_ranges(text)
    own = regions.blank(text, hidden)
    return Draft(
        path=path,
        kind=kind,
        text=own,
        line_map=line_map or LineMap.identity(text),
        context=context,
        signature_start=regions.signature_start(own, headers.end),
        problems=problems,
        directives=read_directives(text, front.end, front.context.suppressed),
        folder=os.path.dirname(path),
    )


def _email_draft(path: str, data: bytes, raw_text: str, problems: list[Problem],
                 max_bytes: int = MAX_FILE_BYTES) -> Draft | None:
    """The message's text part as a draft; None (with the error) when that part is over
    `max_bytes`, measured before its lines are mapped to the file's (a 24 MB message is skipped
    in about a second instead of being mapped first)."""
    try:
        from .email_draft import parse_email  # the e-mail package only for .eml drafts

        parsed = parse_email(data, raw_text, max_text_bytes=max_bytes)
    except Exception as exc:  # the email package is lenient; anything it still raises is reported, not fatal
        problems.append(Problem(path, f"malformed e-mail ({exc.__class__.__name__}: {exc}); linted as plain text"))
        return _text_draft(path, raw_text, "txt", problems)
    problems.extend(Problem(path, warning) for warning in parsed.warnings)
    if parsed.line_map is None:
        problems.append(text_part_too_large(path, max_bytes))
        return None
    body = parsed.body
    hidden = regions.quoted_mail_ranges(body) + regions.code_ranges(body)
    own = regions.blank(body, hidden)
    return Draft(
        path=path,
        kind="eml",
        text=own,
        line_map=parsed.line_map,
        context=replace(parsed.context),
        signature_start=regions.signature_start(own),
        problems=problems,
        folder=os.path.dirname(path),
    )
