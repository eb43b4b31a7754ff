"""The SQL-like subset of ExecuteBillQuery's FilterString: parsed into a tree, evaluated against query rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<str>'(?:[^']|'')*')
    | (?P<num>-?\d+(?:\.\d+)?(?![\w.]))
    | (?P<op><>|!=|>=|<=|=|>|<)
    | (?P<punct>[(),])
    | (?P<name>[A-Za-z_\u4e00-\u9fff][\w.\u4e00-\u9fff]*)
    )""", re.VERBOSE)
_KEYWORDS = {"and", "or", "not", "in", "like", "is", "null"}


class FilterSyntaxError(ValueError):
    """The FilterString cannot be parsed (the real server answers MsgCode 4 「GetRealExpress error」)."""


@dataclass(frozen=True)
class Cond:
    field: str
    op: str              # = <> > >= < <= in notin like notlike isnull notnull
    value: object = None  # literal, or a tuple of literals for IN


@dataclass(frozen=True)
class BoolOp:
    op: str              # and | or | not
    items: tuple[Node, ...]


Node = Cond | BoolOp


def tokenize(text: str) -> list[tuple[str, object]]:
    tokens: list[tuple[str, object]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FilterSyntaxError(f"无法识别的字符 {text[pos:pos + 10]!r}")
        pos = m.end()
        kind = m.lastgroup or ""
        raw = m.group(kind)
        if kind == "str":
            tokens.append(("lit", raw[1:-1].replace("''", "'")))
        elif kind == "num":
            tokens.append(("lit", float(raw) if "." in raw else int(raw)))
        elif kind == "name" and raw.lower() in _KEYWORDS:
            tokens.append(("kw", raw.lower()))
        else:
            tokens.append((kind, raw))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, object]]) -> None:
        self.toks = tokens
        self.i = 0

    def peek(self, kind: str, value: object = None) -> bool:
        if self.i >= len(self.toks):
            return False
        k, v = self.toks[self.i]
        return k == kind and (value is None or v == value)

    def take(self, kind: str, value: object = None) -> object:
        if not self.peek(kind, value):
            got = self.toks[self.i][1] if self.i < len(self.toks) else "<结束>"
            raise FilterSyntaxError(f"此处应为 {value or kind}，实际为 {got!r}")
        self.i += 1
        return self.toks[self.i - 1][1]

    def parse(self) -> Node:
        node = self.expr()
        if self.i != len(self.toks):
            raise FilterSyntaxError(f"多余的内容 {self.toks[self.i][1]!r}")
        return node

    def expr(self) -> Node:
        items: list[Node] = [self.conj()]
        while self.peek("kw", "or"):
            self.i += 1
            items.append(self.conj())
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items))

    def conj(self) -> Node:
        items: list[Node] = [self.unary()]
        while self.peek("kw", "and"):
            self.i += 1
            items.append(self.unary())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items))

    def unary(self) -> Node:
        if self.peek("kw", "not"):
            self.i += 1
            return BoolOp("not", (self.unary(),))
        if self.peek("punct", "("):
            self.i += 1
            node = self.expr()
            self.take("punct", ")")
            return node
        return self.comparison()

    def comparison(self) -> Cond:
        name = str(self.take("name"))
        if self.peek("op"):
            op = str(self.take("op")).replace("!=", "<>")
            return Cond(name, op, self.take("lit"))
        negate = False
        if self.peek("kw", "is"):
            self.i += 1
            negate = bool(self.peek("kw", "not")) and bool(self.take("kw", "not"))
            self.take("kw", "null")
            return Cond(name, "notnull" if negate else "isnull")
        if self.peek("kw", "not"):
            self.i += 1
            negate = True
        if self.peek("kw", "in"):
            self.i += 1
            self.take("punct", "(")
            values = [self.take("lit")]
            while self.peek("punct", ","):
                self.i += 1
                values.append(self.take("lit"))
            self.take("punct", ")")
            return Cond(name, "notin" if negate else "in", tuple(values))
        if self.peek("kw", "like"):
            self.i += 1
            return Cond(name, "notlike" if negate else "like", self.take("lit"))
        raise FilterSyntaxError(f"字段 {name} 后缺少比较运算符")


def parse_filter(text: str) -> Node | None:
    """Parse a FilterString; an empty string means no filter (``None``)."""
    if not text or not text.strip():
        return None
    return _Parser(tokenize(text)).parse()


def fields_of(node: Node | None) -> list[str]:
    if node is None:
        return []
    if isinstance(node, Cond):
        return [node.field]
    return [f for item in node.items for f in fields_of(item)]


def _norm(value: object) -> object:
    """Comparable form: numbers as float, date strings padded to datetimes, text case-folded (CI collation)."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        s = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return s + "T00:00:00"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?", s):
            s = s.replace(" ", "T")
            return (s + ":00" if len(s) == 16 else s)[:19]
        return s.casefold()
    return value


def _compare(left: object, op: str, right: object) -> bool:
    if left is None:
        return False
    a, b = _norm(left), _norm(right)
    if isinstance(a, float) and isinstance(b, str):
        try:
            b = float(b)
        except ValueError:
            return op == "<>"
    elif isinstance(a, str) and isinstance(b, float):
        try:
            a = float(a)
        except ValueError:
            b = str(right).casefold()
    try:
        x, y = cast(Any, a), cast(Any, b)  # float/str/None mixes raise TypeError below: not equal, not ordered
        return {"=": x == y, "<>": x != y, ">": x > y, ">=": x >= y, "<": x < y, "<=": x <= y}[op]
    except TypeError:
        return False


@lru_cache(maxsize=256)
def _text_pool(values: tuple[object, ...]) -> frozenset[str] | None:
    """An IN list's values in comparable form when all of them are text (a set lookup per row), else None."""
    normed = [_norm(v) for v in values]
    return frozenset(str(n) for n in normed) if all(isinstance(n, str) for n in normed) else None


def _like(value: object, pattern: object) -> bool:
    if value is None:
        return False
    rx = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in str(pattern))
    return re.fullmatch(rx, str(value), re.IGNORECASE | re.DOTALL) is not None


def evaluate(node: Node | None, get: Callable[[str], object]) -> bool:
    """Evaluate ``node`` with ``get(field_key)`` giving a row's value."""
    if node is None:
        return True
    if isinstance(node, BoolOp):
        if node.op == "and":
            return all(evaluate(n, get) for n in node.items)
        if node.op == "or":
            return any(evaluate(n, get) for n in node.items)
        return not evaluate(node.items[0], get)
    value = get(node.field)
    if node.op == "isnull":
        return value is None or value == ""
    if node.op == "notnull":
        return not (value is None or value == "")
    if node.op in ("in", "notin"):
        values = cast(tuple[object, ...], node.value)  # the parser makes a tuple for IN
        pool = _text_pool(values)
        norm = _norm(value) if pool is not None and value is not None else None
        if isinstance(norm, str) and pool is not None:
            hit = norm in pool  # text against text only: what _compare decides, without its per-value regexes
        else:
            hit = any(_compare(value, "=", v) for v in values)
        return hit if node.op == "in" else (value is not None and not hit)
    if node.op in ("like", "notlike"):
        hit = _like(value, node.value)
        return hit if node.op == "like" else (value is not None and not hit)
    return _compare(value, node.op, node.value)
