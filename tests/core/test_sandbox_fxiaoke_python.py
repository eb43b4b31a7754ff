"""A third-party client, ``fxiaoke-python`` 0.0.3 (unmodified), works against the Fxiaoke simulator.

Its URLs are hard-coded to https://open.fxiaoke.com; a transport adapter mounted on its own requests session sends
them to the loopback server instead, leaving its code untouched.
"""

from __future__ import annotations

import logging

import pytest
import requests
from requests.adapters import HTTPAdapter

from core.sandbox.base import SandboxServer
from core.sandbox.demo_data import build_demo
from core.sandbox.sandbox import demo_credentials, make_fxiaoke_app

REAL = "https://open.fxiaoke.com/"


class ToLoopback(HTTPAdapter):
    """Rewrites https://open.fxiaoke.com/... to the sandbox URL before sending."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def send(self, request: requests.PreparedRequest, **kwargs):  # type: ignore[override]
        request.url = self.base_url + request.url[len(REAL):]
        return super().send(request, **kwargs)


@pytest.fixture
def fxiaoke_lib():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import fxiaoke.api  # its import calls logging.basicConfig; undo that below

    yield fxiaoke.api
    root.handlers[:], root.level = handlers, level


def test_fxiaoke_python_gets_a_token_and_queries_accounts(fxiaoke_lib):
    from fxiaoke.AccountObj import AccountObj

    demo = build_demo(9, customers=7, orders=2, products=2)
    creds = demo_credentials(9)
    with SandboxServer(make_fxiaoke_app(demo, creds)) as srv:
        api = fxiaoke_lib.FxiaokeApi.init(app_id=creds.fx_app_id, app_secret=creds.fx_app_secret,
                                          permanent_code=creds.fx_permanent_code,
                                          open_user_id=demo.admin["openUserId"], timeout=10)
        session = api._session.requests
        session.mount(REAL, ToLoopback(srv.url))
        try:
            token = api._session.fresh_token()
            assert token["corpId"] == creds.fx_corp_id and token["corpAccessToken"]
            # AccountObj() leaves its instance's dataObjectApiName None: pass it explicitly.
            cursor = AccountObj(api).query(dataObjectApiName="AccountObj", limit=5,
                                           orders=[{"fieldName": "account_no", "isAsc": True}])
            rows = list(cursor)  # its cursor pages on by offset + limit while total says there is more
        finally:
            session.close()
    assert cursor.total() == 7
    assert [r["account_no"] for r in rows] == [f"CUST-{i:04d}" for i in range(1, 8)]
    assert srv.app.token_calls == 1 and srv.requests_served == 3  # one token, then two pages on it
