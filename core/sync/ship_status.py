"""The shipments' mapping: which Fxiaoke order field says how far an order shipped, and its three option values.

Select values are opaque option ids a tenant generates (reference §4.2 [c4]), so nothing here is a constant the
product relies on: the implementer picks the field and its options from ``SalesOrderObj``'s describe on the Mappings
page, and every run checks the describe before its first write (``check``). The default is the standard
``logistics_status`` field (reference §4.4 [s: v1 client]) with the options the demo tenant has. It is stored like
the other mappings, versioned, in the ``mappings`` table under the flow ``deliveries``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from core.errors import ConfigError, ErrorInfo, Text
from core.store.database import Database

FLOW = "deliveries"
ORDER_OBJECT = "SalesOrderObj"
#: How far an order shipped: every line in full, some of it, nothing (or everything returned).
SHIPPED, PARTLY, NONE = "shipped", "partly", "none"
STATES = (SHIPPED, PARTLY, NONE)
SAVE_ATTEMPTS = 5


@dataclass(frozen=True)
class ShipStatusMapping:
    """The order field written and the option value of each state."""

    field: str = "logistics_status"
    shipped: str = "3"
    partly: str = "2"
    none: str = "1"

    def value(self, state: str) -> str:
        return {SHIPPED: self.shipped, PARTLY: self.partly, NONE: self.none}[state]

    def state_of(self, value: Any) -> str | None:
        """The state an order field value stands for, or None (empty, or a value a person set, e.g. 已收货)."""
        text = "" if value in (None, "") else str(value)
        return {self.shipped: SHIPPED, self.partly: PARTLY, self.none: NONE}.get(text) if text else None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> ShipStatusMapping:
        """Parse and validate; ConfigError naming what is wrong."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise _invalid(Text("不是有效的 JSON。", "it is not valid JSON.")) from exc
        if not isinstance(data, dict) or set(data) - {"field", "shipped", "partly", "none"}:
            raise _invalid(Text("应为含 field、shipped、partly、none 的对象。",
                                "it must be an object with field, shipped, partly and none."))
        mapping = cls(**{k: v for k, v in data.items()})
        mapping.validate()
        return mapping

    def validate(self) -> None:
        for name in ("field", "shipped", "partly", "none"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise _invalid(Text(f"{name} 不能为空。", f"{name} must not be empty."))
        if len({self.shipped, self.partly, self.none}) < 3:
            raise _invalid(Text("已发货、部分发货、未发货必须是三个不同的选项。",
                                "shipped, partly shipped and not shipped must be three different options."))


def _invalid(reason: Text) -> ConfigError:
    return ConfigError(Text(f"发货状态映射无效：{reason.zh}", f"Invalid shipment status mapping: {reason.en}"),
                       Text("请在映射页的“发货”中重新选择字段和选项。",
                            "Pick the field and its options again under Deliveries on the Mappings page."),
                       field="ship_status")


def load(db: Database, profile_id: int) -> ShipStatusMapping:
    """The latest saved version, else the default."""
    from sqlalchemy import select  # the ORM when the mapping is read, not with core.views (start-up speed)

    from core.store.models import Mapping

    with db.session() as s:
        body = s.scalars(select(Mapping.body_json).where(Mapping.profile_id == profile_id, Mapping.flow == FLOW)
                         .order_by(Mapping.version.desc()).limit(1)).first()
    return ShipStatusMapping.from_json(body) if body is not None else ShipStatusMapping()


def save(db: Database, profile_id: int, mapping: ShipStatusMapping) -> int:
    """Validates and stores ``mapping`` as the next version; returns the version."""
    from sqlalchemy import func, select  # the ORM when the mapping is saved, not with core.views (start-up speed)
    from sqlalchemy.exc import IntegrityError

    from core.store.models import Mapping

    mapping.validate()
    for attempt in range(SAVE_ATTEMPTS):
        try:
            with db.session() as s:
                latest = s.scalar(select(func.max(Mapping.version)).where(Mapping.profile_id == profile_id,
                                                                          Mapping.flow == FLOW))
                version = (latest or 0) + 1
                s.add(Mapping(profile_id=profile_id, flow=FLOW, version=version, body_json=mapping.to_json()))
            return version
        except IntegrityError:  # another window (or PC) saved this version number first: number ours after it
            if attempt == SAVE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def check(describe: dict[str, dict[str, Any]], mapping: ShipStatusMapping) -> ErrorInfo | None:
    """Why the order object's describe cannot take this mapping (the field or an option is missing), or None."""
    f = describe.get(mapping.field)
    if f is None:
        return ErrorInfo(
            "ship_field_missing", "fxiaoke",
            Text(f"纷享销客的销售订单没有字段“{mapping.field}”，无法写入发货状态。",
                 f"Fxiaoke sales orders have no field '{mapping.field}', so the shipment state cannot be written."),
            Text("请在映射页的“发货”中选择订单上已有的单选字段及其选项，或请纷享销客管理员新建该字段；然后再同步发货。",
                 "Pick an existing single-choice order field and its options under Deliveries on the Mappings "
                 "page, or ask the Fxiaoke administrator to create the field; then sync the deliveries again."),
            {"field": mapping.field})
    values = {str(o.get("value")) for o in f.get("options") or [] if isinstance(o, dict)}
    missing = [v for v in (mapping.shipped, mapping.partly, mapping.none) if v not in values]
    if missing:
        return ErrorInfo(
            "ship_option_missing", "fxiaoke",
            Text(f"纷享销客销售订单字段“{mapping.field}”没有选项 {', '.join(missing)}。",
                 f"The Fxiaoke sales order field '{mapping.field}' has no option {', '.join(missing)}."),
            Text("请在映射页的“发货”中重新选择该字段的选项，然后再同步发货。",
                 "Pick the field's options again under Deliveries on the Mappings page, then sync the deliveries "
                 "again."),
            {"field": mapping.field, "options": missing})
    return None
