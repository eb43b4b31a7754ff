"""The demo tenant's Fxiaoke-only story, added after the base company: orders in approval, rejected orders,
orders naming a product K3Cloud does not know, and payments (回款).

Everything here draws from its own seeded generator and is appended after the base records, so the base customers,
orders and products (what earlier tests select) stay exactly as ``build_demo`` made them. New orders continue the
order numbers and are dated in the last three days; the products missing in K3Cloud are ``MAT-9001``, ``MAT-9002``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from core.sandbox.fxiaoke_schema import PAYMENT_TERMS

SHANGHAI = timezone(timedelta(hours=8))
DAY_MS = 86_400_000
HOUR_MS = 3_600_000
#: Products the Fxiaoke tenant sells that have no K3Cloud material (the pre-flight and inbox demo).
UNMATCHED_PRODUCTS = [("MAT-9001", "智能电磁流量计 DN50", "DN50", "1", "仪表", "6800.00"),
                      ("MAT-9002", "不锈钢蝶阀 DN100", "DN100", "1", "阀门", "1260.00")]
_CENT = Decimal("0.01")
#: The smallest order count that gets the story's extra orders by default (the default demo has 1,000).
STORY_MIN_ORDERS = 1000

#: (api_name, owner, created ms, name) -> a record with the system fields, as ``demo_data._system`` builds it.
RecordMaker = Callable[[random.Random, str, str, int, str], dict[str, Any]]


@dataclass(frozen=True)
class Story:
    """How many of each kind of record the story adds (``build_demo`` derives them from the order count)."""

    under_review: int = 0  # orders waiting for approval (life_status under_review)
    ineffective: int = 0  # orders whose approval was turned down (life_status ineffective, 未生效)
    missing_material: int = 0  # live orders with a line whose product has no K3Cloud material
    payments: int = 0  # PaymentObj records, most linked to an order

    @classmethod
    def for_orders(cls, orders: int) -> Story:
        """The default demo's proportions: 30 % of the orders paid and, in a company of the default demo's size or
        larger, 2 % more orders in approval, 0.5 % rejected, 0.4 % naming an unknown product. A smaller company
        (what tests build) holds only the orders it asks for, so tests that count orders are not surprised."""
        if orders < STORY_MIN_ORDERS:
            return cls(payments=orders * 3 // 10)
        return cls(under_review=orders // 50, ineffective=orders // 200, missing_material=orders // 250,
                   payments=orders * 3 // 10)


def _money(value: Decimal) -> str:
    return str(value.quantize(_CENT))


def _day_name(ms: int, seq: int) -> str:
    return f"{datetime.fromtimestamp(ms / 1000, SHANGHAI):%Y%m%d}-{seq:06d}"


def _midnight(ms: int) -> int:
    day = datetime.fromtimestamp(ms / 1000, SHANGHAI)
    return int(day.replace(hour=0, minute=0, second=0, microsecond=0).timestamp() * 1000)


def add_story(objects: dict[str, list[dict[str, Any]]], story: Story, *, seed: int, now_ms: int, admin: str,
              record: RecordMaker) -> None:
    """Append the story's products, orders, lines and payments to ``objects`` (lists by api name)."""
    rnd = random.Random(f"fxk3-demo-{seed}-story")
    accounts, products = objects["AccountObj"], objects["ProductObj"]
    orders, lines = objects["SalesOrderObj"], objects["SalesOrderProductObj"]
    base_orders = list(orders)
    payments = objects.setdefault("PaymentObj", [])
    if not accounts or not products:
        return
    unmatched = []
    for code, name, spec, unit, category, list_price in UNMATCHED_PRODUCTS[:min(story.missing_material, 2)]:
        rec = record(rnd, "ProductObj", admin, now_ms - rnd.randint(5, 20) * DAY_MS, name)
        rec.update(product_code=code, specification=spec, unit=unit, price=list_price, product_status="1",
                   category=category)
        products.append(rec)
        unmatched.append(rec)
    known = [p for p in products if p not in unmatched]

    kinds = (["under_review"] * story.under_review + ["ineffective"] * story.ineffective
             + ["missing"] * (story.missing_material if unmatched else 0))
    times = sorted(rnd.randint(now_ms - 3 * DAY_MS, now_ms - HOUR_MS) for _ in kinds)
    rnd.shuffle(kinds)
    for seq, (kind, t) in enumerate(zip(kinds, times, strict=True), start=len(base_orders) + 1):
        acct = rnd.choice(accounts)
        owner = acct["owner"][0]
        order = record(rnd, "SalesOrderObj", owner, t, _day_name(t, seq))
        picks = [rnd.choice(known) for _ in range(rnd.randint(1, 4))]
        if kind == "missing":
            picks[rnd.randrange(len(picks))] = rnd.choice(unmatched)
        total = Decimal(0)
        for n, product in enumerate(picks, start=1):
            qty = rnd.randint(1, 30)
            price = Decimal(product["price"])
            subtotal = price * qty
            total += subtotal
            line = record(rnd, "SalesOrderProductObj", owner, t, f"{order['name']}-{n}")
            line.update(order_id=order["_id"], order_id__r=order["name"], product_id=product["_id"],
                        product_id__r=product["name"], quantity=str(qty), product_price=product["price"],
                        sales_price=product["price"], discount="100", subtotal=_money(subtotal), unit=product["unit"])
            lines.append(line)
        order_time = _midnight(t)
        order.update(account_id=acct["_id"], account_id__r=acct["name"], order_time=order_time,
                     order_amount=_money(total), order_status="6" if kind != "missing" else "7", logistics_status="1",
                     delivery_date=order_time + rnd.randint(3, 20) * DAY_MS, delivered_amount_sum="0.00",
                     ship_to_add=acct.get("address"), life_status="normal" if kind == "missing" else kind)
        if kind == "ineffective":  # turned down by the approver an hour or so later: a second version
            order.update(last_modified_time=min(t + rnd.randint(1, 5) * HOUR_MS, now_ms), version="2")
        orders.append(order)

    _add_payments(rnd, payments, story.payments, base_orders, accounts, now_ms, record)


def _add_payments(rnd: random.Random, payments: list[dict[str, Any]], count: int, orders: list[dict[str, Any]],
                  accounts: list[dict[str, Any]], now_ms: int, record: RecordMaker) -> None:
    """``count`` payments: 85 % against a live order (in full, half or a deposit), the rest advance payments with
    no order; 5 % still in approval, 2 % voided; numbered by payment date like the real ``20200817-000023``."""
    live = [o for o in orders if o.get("life_status") == "normal"]
    by_id = {a["_id"]: a for a in accounts}
    drafts = []
    for _ in range(count):
        order = rnd.choice(live) if live and rnd.random() < 0.85 else None
        if order is not None:
            acct = by_id.get(order["account_id"]) or rnd.choice(accounts)
            share = Decimal(rnd.choice((100, 100, 100, 50, 30)))
            amount = Decimal(order["order_amount"]) * share / 100
            paid = order["order_time"] + rnd.randint(0, 30) * DAY_MS
        else:
            acct = rnd.choice(accounts)
            amount = Decimal(rnd.randint(1_000, 5_000_000)) / 100
            paid = _midnight(now_ms - rnd.randint(1, 90) * DAY_MS)
        paid = min(paid, _midnight(now_ms - HOUR_MS))
        created = min(paid + rnd.randint(9, 40) * HOUR_MS // 2, now_ms - HOUR_MS)
        roll = rnd.random()
        status = "under_review" if roll < 0.05 else "invalid" if roll < 0.07 else "normal"
        drafts.append((created, paid, order, acct, amount, status, rnd.choice(PAYMENT_TERMS)[0]))
    drafts.sort(key=lambda d: d[0])
    for seq, (created, paid, order, acct, amount, status, term) in enumerate(drafts, start=1):
        rec = record(rnd, "PaymentObj", acct["owner"][0], created, _day_name(created, seq))
        rec.update(account_id=acct["_id"], account_id__r=acct["name"], payment_amount=_money(amount),
                   payment_time=paid, payment_term=term, life_status=status)
        if order is not None:
            rec.update(order_id=order["_id"], order_id__r=order["name"])
        if status == "invalid":  # voided after it was entered: a later version
            rec.update(last_modified_time=min(created + rnd.randint(1, 48) * HOUR_MS, now_ms), version="2")
        payments.append(rec)
