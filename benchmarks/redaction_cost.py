"""Redaction cost: milliseconds to redact the bodies a sync sends and gets most (issue 15: ~10 % of the CPU).

Run: python benchmarks/redaction_cost.py [--repeat 300]

Bodies: a K3Cloud BatchSave of 20 orders (4 lines each, Chinese text, ``data`` a JSON string inside the JSON, as the
client sends it) and its answer; a Fxiaoke query page of 100 records, and its request (which carries the
``corpAccessToken``: always masked by key). Each is redacted by a ``Redactor`` that knows two secret values; the
script checks the token is masked, so a cheaper path can never be a weaker one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bodies() -> dict[str, str]:
    line = {"FMaterialId": {"FNumber": "MAT-0001"}, "FQty": 3.0, "FTaxPrice": 12.5, "FEntryNote": "备注：加急发货",
            "FEntryTaxRate": 13}
    model = {"FBillNo": "SO-00001", "FDate": "2026-01-02", "FCustId": {"FNumber": "CUST-0001"},
             "FSaleOrgId": {"FNumber": "100"}, "FNote": "华东区订单", "FSaleOrderEntry": [line] * 4}
    save = json.dumps({"formid": "SAL_SaleOrder", "data": json.dumps({"Model": [model] * 20}, ensure_ascii=False)},
                      ensure_ascii=False)
    answer = json.dumps({"Result": {"ResponseStatus": {"IsSuccess": True, "Errors": [], "SuccessEntitys": [
        {"Id": 100000 + i, "Number": f"SO-{i:05d}", "DIndex": i} for i in range(20)], "MsgCode": 0}}},
        ensure_ascii=False)
    record = {"_id": "5f0c0a1b2c3d4e5f60718293", "name": "20260102-000001", "account_id": "a" * 24,
              "account_id__r": "常州源泰电子有限公司", "order_amount": "1234.50", "life_status": "normal",
              "owner": ["FSUID_1"], "remark": "请尽快发货"}
    page = json.dumps({"errorCode": 0, "errorMessage": "OK", "data": {"dataList": [record] * 100, "total": 5000}},
                      ensure_ascii=False)
    query = json.dumps({"corpAccessToken": "tok-" + "x" * 28, "corpId": "FSCID_1", "currentOpenUserId": "FSUID_1",
                        "data": {"dataObjectApiName": "SalesOrderObj", "search_query_info": {"limit": 100,
                                                                                             "offset": 0}}})
    return {"K3Cloud BatchSave request (20 orders)": save, "K3Cloud BatchSave answer": answer,
            "Fxiaoke query page (100 orders)": page, "Fxiaoke query request (with token)": query}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=300)
    args = ap.parse_args(argv)
    from core.http_redact import Redactor

    r = Redactor(["secret-password-1", "sid-abcdef123456"])
    total = 0.0
    for name, body in bodies().items():
        start = time.perf_counter()
        for _ in range(args.repeat):
            out = r.body(body)
        ms = (time.perf_counter() - start) / args.repeat * 1000
        total += ms
        if "corpAccessToken" in body:
            assert "tok-" not in out, "the token must be masked"
        print(f"{name:<40} {ms:7.3f} ms")
    print(f"{'all four':<40} {total:7.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
