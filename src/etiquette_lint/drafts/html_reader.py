"""HTML drafts (.html, .htm, as mail clients export them), read with the standard library's
html.parser: the text as a browser shows it (no tags, <script>, <style> or <head>; entities
decoded; block elements and <br> end a line), each line reported on the source line where its
text begins. Columns count in the shown text from where that text begins in the source, so
they are exact up to the first inline tag or entity on a line."""
from __future__ import annotations

from html.parser import HTMLParser

from .model import LineMap

_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
           "blockquote", "pre", "hr", "section", "article", "header", "footer"}
_HIDDEN = {"script", "style", "head", "title", "template"}


class _ShownText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list] = []  # [text, source line, source column (0-based)]
        self.open_line: list | None = None
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br" and self.open_line is None and not self.hidden:
            line, column = self.getpos()
            self.lines.append(["", line, column])  # <div><br></div>: a blank line, as shown
        elif tag in _BLOCKS:
            self.open_line = None

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in _BLOCKS:
            self.open_line = None

    def handle_data(self, data):
        if self.hidden:
            return
        line, column = self.getpos()
        for index, piece in enumerate(data.split("\n")):
            if index:  # a source line break: the next source line, reported as its own line
                self.open_line, line, column = None, line + 1, 0
            if self.open_line is not None:
                self.open_line[0] += piece
                continue
            text = piece.lstrip()
            if text:
                self.open_line = [text, line, column + len(piece) - len(text)]
                self.lines.append(self.open_line)


def read_html(text: str) -> tuple[str, LineMap]:
    """The shown text and the map from it to the source's line:column."""
    parser = _ShownText()
    parser.feed(text)
    parser.close()
    lines = [[shown.rstrip(), line, column] for shown, line, column in parser.lines] or [["", 1, 0]]
    starts, offset = [], 0
    for shown, _, _ in lines:
        starts.append(offset)
        offset += len(shown) + 1
    return ("\n".join(shown for shown, _, _ in lines),
            LineMap(tuple(starts), tuple(line for _, line, _ in lines), tuple(column for _, _, column in lines)))
