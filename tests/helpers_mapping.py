"""Sample Fxiaoke records for the mapping tests (shaped as the OpenAPI returns them: strings, ms, owner lists)."""

from __future__ import annotations

from core.mapping.transforms import DictLookups

SETTINGS = {"k3_org": "100"}

ACCOUNT = {
    "_id": "65a1f0c2e4b0a1b2c3d4e5f6", "name": "上海示例贸易有限公司", "account_no": "CUST0001",
    "tel": "021-55550101", "address": "上海市浦东新区张江路 1 号", "account_type": "1", "owner": ["1000"],
    "life_status": "normal", "create_time": 1764208800000, "last_modified_time": 1764208800000,
}

# 2025-01-14 16:30 UTC = 2025-01-15 00:30 in Shanghai: the date must be the Shanghai one.
ORDER = {
    "_id": "65a1f0c2e4b0a1b2c3d4e600", "name": "20250115-000123", "account_id": ACCOUNT["_id"],
    "order_time": 1736872200000, "order_amount": "261.00", "owner": ["1000"], "life_status": "normal",
}

LINES = [
    {"_id": "65a1f0c2e4b0a1b2c3d4e701", "order_id": ORDER["_id"], "product_id": "65a1f0c2e4b0a1b2c3d4e801",
     "quantity": "2", "sales_price": "113.00", "subtotal": "226.00"},
    {"_id": "65a1f0c2e4b0a1b2c3d4e702", "order_id": ORDER["_id"], "product_id": "65a1f0c2e4b0a1b2c3d4e802",
     "quantity": "3.5", "sales_price": "10.00", "subtotal": "35.00"},
]

PRODUCTS = [
    {"_id": "65a1f0c2e4b0a1b2c3d4e801", "name": "螺丝 M3", "product_code": "MAT001"},
    {"_id": "65a1f0c2e4b0a1b2c3d4e802", "name": "螺母 M3", "product_code": "MAT002"},
]


def lookups(*, linked_customer: str | None = None) -> DictLookups:
    """The order's customer and products; ``linked_customer`` puts the customer in the link table."""
    links = {"AccountObj": {ACCOUNT["_id"]: linked_customer}} if linked_customer else {}
    return DictLookups({"AccountObj": [ACCOUNT], "ProductObj": PRODUCTS}, links)
