"""The demo company both simulators start from, derived from a seed alone (Chinese names, realistic value types)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from core.sandbox.fxiaoke_demo import Story, add_story
from core.sandbox.fxiaoke_schema import UNITS

SHANGHAI = timezone(timedelta(hours=8))
DAY_MS = 86_400_000
ORG = {"FNumber": "100", "FName": "华东总公司"}
CURRENCY = {"FNumber": "PRE001", "FName": "人民币"}
#: Fxiaoke unit option value -> K3Cloud unit (FNumber, FName).
K3_UNITS = {"1": ("Pcs", "个"), "2": ("Tai", "台"), "3": ("m", "米"), "4": ("Set", "套"), "5": ("kg", "千克")}

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
_CITIES = [("上海", "上海", "021"), ("杭州", "浙江", "0571"), ("南京", "江苏", "025"), ("苏州", "江苏", "0512"),
           ("宁波", "浙江", "0574"), ("无锡", "江苏", "0510"), ("合肥", "安徽", "0551"), ("常州", "江苏", "0519"),
           ("嘉兴", "浙江", "0573"), ("绍兴", "浙江", "0575"), ("温州", "浙江", "0577"), ("南通", "江苏", "0513")]
_BRANDS = "华东 恒信 瑞联 宏达 鼎盛 源泰 丰安 诚远 金桥 新元 佳和 永兴 盛世 天润 中联 汇通 博远 海纳 正泰 明德".split()
_TRADES = "贸易 机电 科技 五金 包装 电子 材料 实业 自动化 流体设备 工程 供应链".split()
_STREETS = "中山 人民 建设 解放 长江 新华 延安 淮海 文一 天目山 学院 东方".split()
_PRODUCTS = [
    ("不锈钢球阀", "DN{}", "1", "阀门"), ("铜质闸阀", "DN{}", "1", "阀门"), ("止回阀", "DN{}", "1", "阀门"),
    ("安全阀", "DN{}", "1", "阀门"), ("PVC 给水管", "Φ{}", "3", "管材"), ("镀锌钢管", "DN{}", "3", "管材"),
    ("压力表", "0-{}MPa", "1", "仪表"), ("温度传感器", "PT{}", "1", "仪表"), ("电磁阀", "{}V", "1", "阀门"),
    ("变频器", "{}kW", "2", "电气"), ("离心泵", "{}m³/h", "2", "泵"), ("法兰垫片套装", "DN{}", "4", "配件"),
    ("Y 型过滤器", "DN{}", "1", "配件"), ("橡胶软接头", "DN{}", "1", "配件"), ("密封胶", "{}kg 桶装", "5", "辅材"),
]
_SIZES = (15, 20, 25, 32, 40, 50, 65, 80, 100, 125, 150)


def k3_tax_rate(index: int) -> str:
    """The K3Cloud tax rate of demo material ``index`` (1-based): mostly 13 %, every 8th 9 %, every 12th 6 %."""
    return "SL03_SYS" if index % 12 == 0 else "SL02_SYS" if index % 8 == 0 else "SL01_SYS"


@dataclass
class DemoData:
    """Everything both simulators need; the ``k3_*`` lists are in the shapes ``K3CloudApp`` takes."""

    employees: list[dict[str, Any]]
    objects: dict[str, list[dict[str, Any]]]
    k3_materials: list[dict[str, Any]]
    k3_units: list[dict[str, Any]]
    k3_orgs: list[dict[str, Any]] = field(default_factory=lambda: [dict(ORG)])
    k3_currencies: list[dict[str, Any]] = field(default_factory=lambda: [dict(CURRENCY)])
    k3_customers: list[dict[str, Any]] = field(default_factory=list)

    @property
    def admin(self) -> dict[str, Any]:
        """Employee 0, the CRM administrator whose mobile and openUserId the sandbox hands out."""
        return self.employees[0]


_HEX = "0123456789abcdef"
# rnd.choice(_HEX) draws 32-bit words and keeps the top 5 bits of the first below 16 (random._randbelow); the same
# words come out of one getrandbits(32 * n) call (word i at bits 32i..), so this gives the very same characters and
# leaves the generator in the same state, about 3x faster: the 10,000-order demo starts in a few seconds.
_TOP5 = bytes(ord(_HEX[b >> 3]) if b < 0x80 else 0 for b in range(256))  # most significant byte -> hex digit
_REJECTED = bytes(range(0x80, 0x100))  # top 5 bits >= 16: random._randbelow draws again


def _hex(rnd: random.Random, n: int) -> str:
    """``n`` characters of ``rnd.choice("0123456789abcdef")``, as fast as Python allows."""
    out, need = b"", n
    while need:
        words = rnd.getrandbits(32 * need).to_bytes(4 * need, "little")
        got = words[3::4].translate(_TOP5, _REJECTED)
        out += got
        need -= len(got)
    return out.decode("ascii")


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _person(rnd: random.Random) -> str:
    return rnd.choice(_SURNAMES) + "".join(rnd.choice(_GIVEN) for _ in range(rnd.choice((1, 2))))


def _system(rnd: random.Random, api_name: str, owner: str, created: int, name: str) -> dict[str, Any]:
    return {
        "_id": _hex(rnd, 24), "name": name, "owner": [owner], "owner_department": "销售部",
        "created_by": [owner], "create_time": created, "last_modified_by": [owner], "last_modified_time": created,
        "life_status": "normal", "lock_status": "0", "record_type": "default__c", "is_deleted": False,
        "version": "1", "object_describe_api_name": api_name,
    }


def build_demo(
    seed: int = 1, *, customers: int = 300, orders: int = 1000, products: int = 80, employees: int = 5,
    k3_existing_customers: int = 10, now_ms: int | None = None, under_review: int | None = None,
    ineffective: int | None = None, missing_material: int | None = None, payments: int | None = None,
) -> DemoData:
    """Build the demo company; the same seed (and day, unless ``now_ms`` is given) gives the same data.

    ``under_review``, ``ineffective``, ``missing_material`` and ``payments`` size the Fxiaoke story added after the
    base records (``fxiaoke_demo``); None takes the default demo's share of ``orders`` (``Story.for_orders``: no
    extra orders in a company smaller than the default demo's 1,000).
    """
    rnd = random.Random(f"fxk3-demo-{seed}")
    if now_ms is None:
        today = datetime.now(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
        now_ms = int(today.timestamp() * 1000)
    start = now_ms - 120 * DAY_MS

    emps: list[dict[str, Any]] = []
    for i in range(max(employees, 1)):
        emps.append({
            "openUserId": "FSUID_" + _hex(rnd, 32).upper(), "name": "系统管理员" if i == 0 else _person(rnd),
            "mobile": f"1{rnd.choice('3589')}{rnd.randint(0, 9)}{rnd.randint(10_000_000, 99_999_999)}",
            "email": f"user{i:02d}@demo-fxk3.cn", "departmentIds": [1000], "mainDepartmentIds": [1000],
            "status": "NORMAL", "isStop": False, "isAdmin": i == 0,
        })
    reps = [e["openUserId"] for e in emps[1:]] or [emps[0]["openUserId"]]

    prods: list[dict[str, Any]] = []
    for i in range(1, products + 1):
        base, spec, unit, category = _PRODUCTS[(i - 1) % len(_PRODUCTS)]
        spec = spec.format(rnd.choice(_SIZES))
        rec = _system(rnd, "ProductObj", emps[0]["openUserId"], start - rnd.randint(30, 400) * DAY_MS, f"{base} {spec}")
        price = Decimal(rnd.randint(800, 400_000)) / 100
        rec.update(product_code=f"MAT-{i:04d}", specification=spec, unit=unit, price=_money(price),
                   product_status="1", category=category)
        prods.append(rec)

    accounts: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i in range(1, customers + 1):
        city, province, area = rnd.choice(_CITIES)
        name = f"{city}{rnd.choice(_BRANDS)}{rnd.choice(_TRADES)}有限公司"
        while name in seen:
            name = f"{city}{rnd.choice(_BRANDS)}{rnd.choice(_BRANDS)}{rnd.choice(_TRADES)}有限公司"
        seen.add(name)
        owner = rnd.choice(reps)
        rec = _system(rnd, "AccountObj", owner, start + rnd.randint(0, 30 * DAY_MS), name)
        rec.update(account_no=f"CUST-{i:04d}", account_type="1", account_level=rnd.choice("ABC"),
                   tel=f"{area}-{rnd.randint(55_000_000, 89_999_999)}",
                   province=province, city=city,
                   address=f"{'' if province == city else province + '省'}{city}市"
                           f"{rnd.choice(_STREETS)}路{rnd.randint(1, 999)}号")
        accounts.append(rec)
        contact = _system(rnd, "ContactObj", owner, rec["create_time"] + 60_000, _person(rnd))
        contact.update(account_id=rec["_id"], account_id__r=name, job_title=rnd.choice(("采购经理", "总经理", "财务")),
                       mobile=f"13{rnd.randint(0, 9)}{rnd.randint(10_000_000, 99_999_999)}")
        contacts.append(contact)

    times = sorted(rnd.randint(start + 31 * DAY_MS, now_ms - 3_600_000) for _ in range(orders))
    sales: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for seq, t in enumerate(times, start=1):
        acct = rnd.choice(accounts) if accounts else None
        owner = acct["owner"][0] if acct else reps[0]
        day = datetime.fromtimestamp(t / 1000, SHANGHAI)
        order_time = int(day.replace(hour=0, minute=0, second=0, microsecond=0).timestamp() * 1000)
        name = f"{day:%Y%m%d}-{seq:06d}"
        order = _system(rnd, "SalesOrderObj", owner, t, name)
        total = Decimal(0)
        for n in range(1, rnd.randint(1, 6) + 1 if prods else 1):
            p = rnd.choice(prods)
            qty = rnd.randint(1, 50)
            sales_price = Decimal(p["price"]) * Decimal(rnd.choice((100, 100, 95, 90, 85))) / 100
            subtotal = sales_price.quantize(Decimal("0.01")) * qty
            total += subtotal
            line = _system(rnd, "SalesOrderProductObj", owner, t, f"{name}-{n}")
            line.update(order_id=order["_id"], order_id__r=name, product_id=p["_id"], product_id__r=p["name"],
                        quantity=str(qty), product_price=p["price"], sales_price=_money(sales_price),
                        discount=f"{sales_price * 100 / Decimal(p['price']):.0f}", subtotal=_money(subtotal),
                        unit=p["unit"])
            lines.append(line)
        order.update(account_id=acct["_id"] if acct else None, account_id__r=acct["name"] if acct else None,
                     order_time=order_time, order_amount=_money(total),
                     order_status="7", logistics_status="1", delivery_date=order_time + rnd.randint(3, 20) * DAY_MS,
                     delivered_amount_sum="0.00", ship_to_add=acct["address"] if acct else None)
        if rnd.random() < 0.02:
            order["life_status"] = "invalid"  # voided orders stay visible to queries, as on a real tenant
        sales.append(order)

    unit_numbers = sorted({p["unit"] for p in prods}) or ["1"]
    demo = DemoData(
        employees=emps,
        objects={"AccountObj": accounts, "ContactObj": contacts, "ProductObj": prods,
                 "SalesOrderObj": sales, "SalesOrderProductObj": lines},
        k3_materials=[{"FNumber": p["product_code"], "FName": p["name"].split(" ")[0],
                       "FSpecification": p["specification"], "FBaseUnitId": K3_UNITS[p["unit"]][0],
                       "FTaxRateId": k3_tax_rate(i)} for i, p in enumerate(prods, 1)],
        k3_units=[{"FNumber": K3_UNITS[u][0], "FName": K3_UNITS[u][1]} for u in unit_numbers],
        k3_customers=[{"FNumber": a["account_no"], "FName": a["name"], "FShortName": a["name"],
                       "FTEL": a["tel"], "FADDRESS": a["address"]} for a in accounts[:k3_existing_customers]],
    )
    asked = {"under_review": under_review, "ineffective": ineffective, "missing_material": missing_material,
             "payments": payments}
    story = replace(Story.for_orders(orders), **{k: v for k, v in asked.items() if v is not None})
    add_story(demo.objects, story, seed=seed, now_ms=now_ms, admin=emps[0]["openUserId"], record=_system)
    return demo


def scaled_sizes(orders: int) -> dict[str, int]:
    """``demo_sizes`` for a bigger company with the default demo's proportions (300 customers per 1,000 orders)."""
    return {"orders": orders, "customers": max(1, orders * 3 // 10), "products": 80}


assert {u for u, _ in UNITS} == set(K3_UNITS), "every Fxiaoke unit option needs a K3Cloud unit"
