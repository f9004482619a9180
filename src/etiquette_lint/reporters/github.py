"""GitHub Actions workflow commands: one annotation per finding, on the exact lines.

`::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=<rule>::<message>`; error stays
error, warning stays warning, info becomes notice. Values are escaped the way the runner
expects (data: `%`, CR, LF; properties also `:` and `,`); other control characters in a
file name (ESC, BEL, C1) are shown as escapes, since the runner has no encoding for them. The
text summary follows as a plain log line, which the runner prints as it is."""
from __future__ import annotations

from ..findings import Severity
from .base import Reporter, printable, relative_posix
from .text import TextReporter

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    name = "github"

    def render(self, result) -> str:
        lines = [self._annotation(f) for f in result.findings]
        lines.append(TextReporter.summary(result))
        return "\n".join(lines) + "\n"

    @staticmethod
    def _annotation(finding) -> str:
        properties = {
            "file": printable(relative_posix(finding.path), keep="\r\n"),  # CR, LF: the runner's own encoding
            "line": finding.line,
            "col": finding.column,
            "endLine": finding.end_line,
            "endColumn": finding.end_column,
            "title": finding.rule,
        }
        rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
        return f"::{_COMMAND[finding.severity]} {rendered}::{escape_data(finding.message)}"
