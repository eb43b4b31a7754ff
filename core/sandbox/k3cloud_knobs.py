"""Run-time knobs of the K3Cloud simulator (admin action "knobs"; ``K3CloudApp.knobs``).

Every knob defaults to the real service's behaviour: ``always_verify_base_data`` off (IsVerifyBaseDataField false
is honoured: an unresolved line is dropped silently) and ``check_base_data_state`` on (a reference must be audited,
enabled and allocated). Turning them the other way gives the first wave's kinder simulator, for a test that needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class K3Knobs:
    """Run-time knobs of the K3Cloud simulator (admin action "knobs"); see the module docstrings."""

    session_expire_after_calls: int | None = None
    session_idle_seconds: float = 1800
    require_string_data: bool = False  # some servers only accept ``data`` as a JSON string (§3)
    signature_check: bool = True       # also verify X-Api-Signature, not only X-Kd-Signature (§10.3 is open)
    unique_numbers: bool = True        # off: a second document with the same FBillNo/FNumber is accepted (issue 17)
    always_verify_base_data: bool = False   # on: refuse unresolved references even with IsVerifyBaseDataField false
    check_base_data_state: bool = True      # off: a reference needs only to exist (not audited/enabled/allocated)
    fin_after_entry_resets_prices: bool = True  # §5 KM: FIN sub-header after the entries zeroes the lines' prices
    login_result_type: int = 1         # an otherwise valid login answers this LoginResultType (k3cloud_auth)
    password_expired: bool = False     # valid logins are refused: -3 with MessageCode CheckPasswordPolicy
    save_latency_ms_per_call: float = 0
    save_latency_ms_per_row: float = 0
    #: op ("submit", "audit") -> numbers that op refuses, as a credit or workflow check does on a real site
    #: (MsgCode 11 with the document's own error row; the other documents of the call go through).
    refuse_ops: dict[str, list[str]] = field(default_factory=dict)
    async_polls: int = 1               # QueryAsyncResult polls answered "Running" before "Complete"
