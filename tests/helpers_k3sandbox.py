"""Fixtures for the K3Cloud simulator tests: a small K3CloudApp on real loopback HTTP, a client, a fake clock."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from core.sandbox.base import SandboxServer
from core.sandbox.k3cloud_app import K3CloudApp, make_app_credentials
from tests.helpers_core import FakeClock

ACCT, USER, PASSWORD = "6650a1b2c3d4e5f6a7b8c9d0", "api_user", "Pa55-word"
AUTH = "Kingdee.BOS.WebApi.ServicesStub.AuthService."
FORM = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService."
DATA_CENTERS = "Kingdee.BOS.ServiceFacade.ServicesStub.Account.AccountService.GetDataCenterList"
LOST = {"Result": {"ResponseStatus": {
    "ErrorCode": 500, "IsSuccess": False,
    "Errors": [{"FieldName": None, "Message": "会话信息已丢失，请重新登录", "DIndex": 0}],
    "SuccessEntitys": [], "SuccessMessages": [], "MsgCode": 1}}}


#: Knobs whose shipped default keeps the first wave's behaviour until the product is safe against the real one
#: (see K3Knobs); the simulator's own tests run with the real service's behaviour.
REALISTIC = {"always_verify_base_data": False, "check_base_data_state": True}


def demo_app(clock: FakeClock, app_id: str, app_secret: str) -> K3CloudApp:
    app = K3CloudApp(
        acct_id=ACCT, acct_name="测试账套", username=USER, password=PASSWORD, app_id=app_id, app_secret=app_secret,
        materials=[{"FNumber": f"MAT-{i:04d}", "FName": f"物料{i}", "FSpecification": f"规格{i}", "FBaseUnitId": "Pcs"}
                   for i in range(1, 6)],
        units=[{"FNumber": "Pcs", "FName": "个"}, {"FNumber": "Box", "FName": "箱"}],
        orgs=[{"FNumber": "100", "FName": "总公司"}, {"FNumber": "101", "FName": "华东分公司"}],
        currencies=[{"FNumber": "PRE001", "FName": "人民币"}],
        customers=[{"FNumber": "CUST-0007", "FName": "上海老客户有限公司"}],
        clock=clock,
    )
    app.admin("knobs", REALISTIC)
    return app


@dataclass
class K3:
    """One running simulator plus a requests session against it."""

    app: K3CloudApp
    server: SandboxServer
    clock: FakeClock
    http: requests.Session
    app_id: str
    app_secret: str

    @property
    def root(self) -> str:
        return self.server.url + "K3Cloud/"

    def post(self, service: str, body: Any = None, *, raw: bytes | None = None, session: requests.Session | None = None,
             headers: dict[str, str] | None = None) -> requests.Response:
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        return (session or self.http).post(self.root + service + ".common.kdsvc", data=data, headers=hdrs, timeout=10)

    def login(self, session: requests.Session | None = None) -> dict:
        r = self.post(AUTH + "ValidateUser", {"parameters": [ACCT, USER, PASSWORD, 2052]}, session=session)
        body = r.json()
        assert body["LoginResultType"] == 1, body
        return body

    def call(self, op: str, formid: str | None, data: Any, **kw: Any) -> Any:
        body = {"data": data} if formid is None else {"formid": formid, "data": data}
        r = self.post(FORM + op, body, **kw)
        assert r.status_code == 200, r.text
        return r.json()

    def save(self, formid: str, model: dict, **extra: Any) -> dict:
        return self.call("Save", formid, {"Model": model, **extra})

    def query(self, form_id: str, keys: str, filt: str = "", **extra: Any) -> Any:
        return self.call("ExecuteBillQuery", None,
                         {"FormId": form_id, "FieldKeys": keys, "FilterString": filt, **extra})

    def admin(self, action: str, payload: dict | None = None) -> Any:
        r = self.http.post(self.server.url + f"__sandbox__/admin/{action}", json=payload or {}, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def k3() -> Iterator[K3]:
    clock = FakeClock()
    app_id, app_secret = make_app_credentials(7)
    app = demo_app(clock, app_id, app_secret)
    with SandboxServer(app) as server, requests.Session() as http:
        yield K3(app, server, clock, http, app_id, app_secret)


@pytest.fixture
def logged_in(k3: K3) -> K3:
    k3.login()
    return k3


def status(body: Any) -> dict:
    """The ResponseStatus of any answer shape (object, or ExecuteBillQuery's list of lists)."""
    if isinstance(body, list):
        body = body[0][0]
    return body["Result"]["ResponseStatus"]


def order_model(customer: str = "CUST-0007", *, bill_no: str | None = None, lines: int = 1, **head: Any) -> dict:
    model: dict[str, Any] = {"FID": 0, "FBillTypeID": {"FNumber": "XSDD01_SYS"}, "FDate": "2026-05-15",
                             "FSaleOrgId": {"FNumber": "100"}, "FCustId": {"FNumber": customer},
                             "FSaleOrderFinance": {"FSettleCurrId": {"FNumber": "PRE001"}, "FExchangeRate": 1}}
    if bill_no:
        model["FBillNo"] = bill_no
    model["FSaleOrderEntry"] = [
        {"FMaterialId": {"FNumber": f"MAT-{i:04d}"}, "FUnitID": {"FNumber": "Pcs"}, "FQty": 10 * i,
         "FTaxPrice": 113, "FEntryTaxRate": 13} for i in range(1, lines + 1)]
    model.update(head)
    return model


# --- the SDK's signing scheme, written from reference §2.6 (the SDK itself is exercised in test_sandbox_k3_sdk) ---

_XOR = b"0054f397c6234378b09ca7d3e5debce7"


def _hmac_b64hex(content: str, key: str) -> str:
    digest = hmac.new(key.encode(), content.encode(), hashlib.sha256).hexdigest()
    return base64.b64encode(digest.encode()).decode()


def signed_headers(path: str, app_id: str, app_secret: str, *, acct: str = ACCT, user: str = USER,
                   lcid: int = 2052, ts: str = "1790000000") -> dict[str, str]:
    client_id, encoded = app_id.split("_")
    # 24 decoded bytes against a 32-byte key: only the key's first 24 bytes are used
    key = base64.b64encode(bytes(a ^ b for a, b in zip(base64.b64decode(encoded), _XOR, strict=False))).decode()
    quoted = path.replace("/", "%2F")
    api_sign = f"POST\n{quoted}\n\nx-api-nonce:{ts}\nx-api-timestamp:{ts}\n"
    app_data = f"{acct},{user},{lcid},0"
    return {
        "X-Api-ClientID": client_id, "X-Api-Auth-Version": "2.0", "x-api-timestamp": ts, "x-api-nonce": ts,
        "x-api-signheaders": "x-api-timestamp,x-api-nonce", "X-Api-Signature": _hmac_b64hex(api_sign, key),
        "X-Kd-Appkey": app_id, "X-Kd-Appdata": base64.b64encode(app_data.encode()).decode(),
        "X-Kd-Signature": _hmac_b64hex(app_id + app_data, app_secret),
    }
