"""The Fxiaoke code catalogue: every code of the reference table, bilingual, typed errors, explain()."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.errors import FxiaokeAuthError, FxiaokeError, FxiaokeQuotaError, FxiaokeRateLimitError
from core.fxiaoke.codes import CODES, KINDS, FxiaokeNotFoundError, explain, info, make_error

#: Section 5 of shared/reference/fxiaoke-openapi.md, copied into the repository so the test runs everywhere.
REFERENCE = Path(__file__).resolve().parents[1] / "data" / "fxiaoke-reference-codes.md"


def test_every_entry_is_bilingual_with_a_known_kind():
    for code, i in CODES.items():
        assert i.kind in KINDS, code
        assert i.meaning_zh and i.meaning_en, code
        if code != 0:
            assert i.advice_zh and i.advice_en, code


def test_every_code_named_in_the_reference_table_is_catalogued():
    text = REFERENCE.read_text("utf-8")
    table = text[text.index("## 5. Envelope and error codes"):]
    named: set[int] = set()
    for line in table.splitlines():
        if not line.startswith("| ") or line.startswith("| Code"):
            continue
        cell = line.split("|")[1]
        for a, b in re.findall(r"(-?\d+)\s*[–-]\s*(\d+)", cell):
            if int(b) - int(a) < 20 and not a.startswith("-"):
                named.update(range(int(a), int(b) + 1))
        named.update(int(n) for n in re.findall(r"-?\d+", cell))
    named.discard(11012)  # inside the 11001–11018 range but named by no source
    assert named - set(CODES) == set()


@pytest.mark.parametrize("code, cls, retryable", [
    (10006, FxiaokeAuthError, False), (20006, FxiaokeAuthError, False), (20015, FxiaokeAuthError, False),
    (11002, FxiaokeAuthError, False), (11013, FxiaokeAuthError, False), (20016, FxiaokeAuthError, True),
    (30002, FxiaokeQuotaError, False), (30003, FxiaokeQuotaError, False),
    (14001, FxiaokeRateLimitError, True), (30004, FxiaokeRateLimitError, True),
    (301, FxiaokeNotFoundError, False), (-1, FxiaokeError, True), (99999, FxiaokeError, False),
])
def test_make_error_types_each_code(code, cls, retryable):
    err = make_error(code, "server words", trace_id="E-O.t.1", endpoint="cgi/crm/v2/data/query")
    assert type(err) is cls and err.retryable is retryable
    assert err.code == str(code) and err.trace_id == "E-O.t.1"
    assert "server words" in err.message.zh and "server words" in err.message.en
    assert str(code) in err.user_message


def test_explain_for_the_log_pane():
    meaning, advice = explain("30003")
    assert "OpenAPI" in meaning.en and "客户经理" in advice.zh
    assert explain(None)[0].en == "unknown error" and info("abc").kind == "server"
    assert make_error(20015).field == "fx_permanent_code" and make_error(10006).field == "fx_app_secret"
