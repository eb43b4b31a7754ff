"""A read-only JSON viewer: pretty-prints, keeps Chinese readable, colours keys, strings and numbers."""

from __future__ import annotations

import json
import re
from typing import Any

from PySide6.QtGui import QColor, QFont, QFontDatabase, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QWidget

_KEY = re.compile(r'"(?:[^"\\]|\\.)*"(?=\s*:)')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NUMBER = re.compile(r"(?<![\w\"])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LITERAL = re.compile(r"\b(?:true|false|null)\b")
_REDACTED = re.compile(r"\*\*\*")


def pretty(text: str | bytes | None) -> str:
    """Indented JSON if ``text`` parses (nested JSON strings such as K3Cloud's ``data`` are unfolded too)."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        obj = json.loads(text)
    except ValueError:
        return text
    return json.dumps(_unfold(obj), ensure_ascii=False, indent=2)


def _unfold(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _unfold(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_unfold(v) for v in obj]
    if isinstance(obj, str) and obj[:1] in "{[" and len(obj) < 2_000_000:
        try:
            return _unfold(json.loads(obj))
        except ValueError:
            return obj
    return obj


class JsonHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats = {}
        for name, color, bold in (("key", "#1e40af", False), ("string", "#047857", False),
                                  ("number", "#b45309", False), ("literal", "#7c3aed", False),
                                  ("redacted", "#b91c1c", True)):
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(color))
            if bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            self._formats[name] = fmt

    def highlightBlock(self, text: str) -> None:
        if len(text) > 4000:
            return  # one huge line: colouring it is not worth the time
        for m in _STRING.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self._formats["string"])
        for m in _NUMBER.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self._formats["number"])
        for m in _LITERAL.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self._formats["literal"])
        for m in _KEY.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self._formats["key"])
        for m in _REDACTED.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self._formats["redacted"])


class JsonView(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("JsonView")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self._hl = JsonHighlighter(self.document())

    def set_json(self, text: str | bytes | None) -> None:
        self.setPlainText(pretty(text))
