"""`path:line:col: severity [rule] message`, the rule's suggestion on an indented `help:` line
under it (as ruff prints them; hidden with --no-suggestions), then a summary; colour only when
asked (a TTY).
Control characters in a path are shown as escapes (`base.printable`)."""
from __future__ import annotations

from ..findings import Severity
from .base import Reporter, printable

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class TextReporter(Reporter):
    name = "text"

    def render(self, result) -> str:
        lines = []
        for finding in result.findings:
            lines.append(self._line(finding))
            if self.suggestions and finding.suggestion:
                lines.append(self._help(finding.suggestion))
        lines.append(self.summary(result))
        return "\n".join(lines) + "\n"

    def _line(self, finding) -> str:
        where = f"{printable(finding.path)}:{finding.line}:{finding.column}:"
        severity = finding.severity.value
        rule = f"[{finding.rule}]"
        if self.color:
            where = f"{_BOLD}{where}{_RESET}"
            severity = f"{_COLOURS[finding.severity]}{severity}{_RESET}"
            rule = f"{_DIM}{rule}{_RESET}"
        return f"{where} {severity} {rule} {finding.message}"

    def _help(self, suggestion: str) -> str:
        label = f"{_BOLD}help:{_RESET}" if self.color else "help:"
        return f"  {label} {' '.join(suggestion.split())}"  # one line, whatever the YAML's wrapping

    @staticmethod
    def summary(result) -> str:
        findings = result.findings
        unread = len({p.path for p in getattr(result, "problems", []) if p.level == "error"} - {f.path for f in findings})
        skipped = f" ({_plural(unread, 'file')} could not be linted: see above)" if unread else ""
        if not findings:
            return f"No problems in {_plural(result.files, 'draft')}{skipped}."
        counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
        parts = [_plural(counts[s], s.value) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
        files = len({f.path for f in findings})
        return f"{_plural(len(findings), 'problem')} ({', '.join(parts)}) in {_plural(files, 'file')}{skipped}."
