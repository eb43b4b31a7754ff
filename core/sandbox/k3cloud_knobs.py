"""Run-time knobs of the K3Cloud simulator (admin action "knobs"; ``K3CloudApp.knobs``).

Two knobs hold back a realistic behaviour until the product is safe against it: their defaults keep the first
wave's behaviour, and ``tests/helpers_k3sandbox.REALISTIC`` turns the real one on for the simulator's own tests:
``always_verify_base_data`` (real: False, IsVerifyBaseDataField honoured) and ``check_base_data_state`` (real:
True, a reference must be audited, enabled and allocated). Every other knob defaults to the real behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class K3Knobs:
    """Run-time knobs of the K3Cloud simulator (admin action "knobs"); see the module docstrings."""

    session_expire_after_calls: int | None = None
    session_idle_seconds: float = 1800
    require_string_data: bool = False  # some servers only accept ``data`` as a JSON string (§3)
    signature_check: bool = True       # also verify X-Api-Signature, not only X-Kd-Signature (§10.3 is open)
    unique_numbers: bool = True        # off: a second document with the same FBillNo/FNumber is accepted (issue 17)
    always_verify_base_data: bool = True    # on: refuse unresolved references even with IsVerifyBaseDataField false
    check_base_data_state: bool = False     # off: a reference needs only to exist (not audited/enabled/allocated)
    fin_after_entry_resets_prices: bool = True  # §5 KM: FIN sub-header after the entries zeroes the lines' prices
    login_result_type: int = 1         # an otherwise valid login answers this LoginResultType (k3cloud_auth)
    password_expired: bool = False     # valid logins are refused: -3 with MessageCode CheckPasswordPolicy
    save_latency_ms_per_call: float = 0
    save_latency_ms_per_row: float = 0
    async_polls: int = 1               # QueryAsyncResult polls answered "Running" before "Complete"
