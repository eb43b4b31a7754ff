"""Session material of the K3Cloud login answer (reference §2.2: ``KDSVCSessionId``, ``Context.SessionId``,
``Context.UserToken``, ``AccessToken``, ``KdAccessResult``) never reaches an exchange record or an evidence bundle; and
the results parser does not call a row saved that K3Cloud did not name."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path

import pytest

from core.errors import RowError
from core.http import ExchangeRecord, Redactor
from core.k3cloud.auth import session_material
from core.k3cloud.client import K3CloudClient
from core.k3cloud.results import UNCONFIRMED_MESSAGE, parse_status, rows_from_status
from core.sandbox import start_sandbox
from tests.helpers_k3cloud import k3_profile
from tests.helpers_secrets import watch

LOGIN_ANSWER = {"LoginResultType": 1, "KDSVCSessionId": "sid-1234567890", "AccessToken": "acc-1234567890",
                "KdAccessResult": {"Token": "kd-1234567890"}, "Context": {"SessionId": "ctx-1234567890",
                                                                          "UserToken": "ut-1234567890", "UserId": 7}}


def test_every_piece_of_login_session_material_is_masked_by_key() -> None:
    masked = json.loads(Redactor().body(json.dumps(LOGIN_ANSWER)))
    assert masked["Context"]["UserToken"] == masked["Context"]["SessionId"] == "***"
    assert masked["KDSVCSessionId"] == masked["AccessToken"] == masked["KdAccessResult"] == "***"
    assert masked["Context"]["UserId"] == 7 and masked["LoginResultType"] == 1
    cut = Redactor().text(json.dumps(LOGIN_ANSWER)[:-30])  # a truncated answer is masked as text
    assert "ut-1234567890" not in cut and "ctx-1234567890" not in cut
    assert set(session_material(LOGIN_ANSWER)) == {"sid-1234567890", "acc-1234567890", "kd-1234567890",
                                                   "ctx-1234567890", "ut-1234567890"}


@pytest.mark.parametrize("mode", ["password", "appsecret"])
def test_the_user_token_is_in_no_exchange_record_and_no_evidence_bundle(tmp_path: Path, mode: str) -> None:
    pytest.importorskip("PySide6")
    from core.evidence import export_bundle  # the GUI's support bundle (imports Qt's package, not its widgets)

    with start_sandbox(seed=41, demo_sizes={"customers": 5, "orders": 3, "products": 3}) as sb:
        issued = watch(sb)
        records: list[ExchangeRecord] = []
        profile, secrets = k3_profile(sb.credentials()["k3cloud"], mode)
        with K3CloudClient(profile, secrets, sinks=[records.append]) as k3:
            k3.login()
            k3.query("BD_Customer", ["FNumber"], limit=1)
            sb.k3_app.admin("expire_sessions", {})
            k3.query("BD_Customer", ["FNumber"], limit=1)  # MsgCode 1, a second login, a second UserToken
        assert len(issued.user_tokens) == 2
        bundle = export_bundle(records, tmp_path / "evidence.zip", profile="k3test")
    blobs = {"record": json.dumps([dataclasses.asdict(r) for r in records], default=str, ensure_ascii=False)}
    with zipfile.ZipFile(bundle) as zf:
        blobs.update({name: zf.read(name).decode("utf-8") for name in zf.namelist()})
    logins = [json.loads(r.response_body) for r in records if "Login" in r.endpoint or "ValidateUser" in r.endpoint]
    assert len(logins) == 2 and all(b["Context"]["UserToken"] == "***" for b in logins)
    for where, text in blobs.items():
        for value in issued.values:
            assert value not in text, (where, value[:6])


def test_success_without_success_entities_is_unconfirmed_not_saved() -> None:
    status = parse_status({"IsSuccess": True, "Errors": [], "SuccessEntitys": [], "MsgCode": 0})
    rows = rows_from_status(status, 2)
    assert [(r.ok, r.unconfirmed) for r in rows] == [(False, True), (False, True)]
    assert rows[0].errors == [RowError(None, UNCONFIRMED_MESSAGE, 0)] and "SuccessEntitys" in UNCONFIRMED_MESSAGE
    status = parse_status({"IsSuccess": True, "SuccessEntitys": [{"Id": "9", "Number": "A", "DIndex": 1}]})
    named, unnamed = rows_from_status(status, 2)[::-1]
    assert (named.ok, named.id, named.unconfirmed) == (True, "9", False) and unnamed.unconfirmed
    refused = rows_from_status(parse_status({"IsSuccess": False, "Errors": [{"Message": "x", "DIndex": 0}],
                                             "MsgCode": 11}), 1)
    assert not refused[0].ok and not refused[0].unconfirmed
