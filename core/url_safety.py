"""Whether a profile's URLs are safe to use: plain ``http://`` to a public host is warned about (issue 12).

Kept apart from ``core.profiles`` (which needs the store) so the clients' doctors can use it.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from core.errors import Text

if TYPE_CHECKING:
    from core.profiles import Profile


#: Host name endings of company networks (RFC 6761/6762/8375 and common intranet suffixes).
_LAN_SUFFIXES = (".localhost", ".local", ".lan", ".internal", ".intranet", ".corp", ".home.arpa", ".localdomain")


def _is_local_host(host: str) -> bool:
    """Loopback, private or link-local addresses and intranet-style names (no dot, or a LAN suffix)."""
    host = host.strip("[]").lower().rstrip(".")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or "." not in host or host.endswith(_LAN_SUFFIXES)
    return ip.is_loopback or ip.is_private or ip.is_link_local


def url_warning(profile: Profile, field: str) -> Text | None:
    """The warning for one URL setting (``fx_url`` / ``k3_url``): plain ``http://`` to a public host, else None."""
    value = getattr(profile, field, None)
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
        host = parts.hostname if parts is not None else None
    except ValueError:
        return None
    if parts is None or parts.scheme != "http" or not host or _is_local_host(host):
        return None
    label = Text("纷享销客", "Fxiaoke") if field == "fx_url" else Text("金蝶云星空", "K3Cloud")
    return Text(
        f"警告：设置项“{field}”用不加密的 http:// 连接公网主机 {host}，{label.zh}的密钥、密码、会话和业务数据都会以明文"
        f"传输。请改用 https://。",
        f"Warning: setting '{field}' uses plain http:// to the public host {host}: {label.en} secrets, passwords, "
        f"sessions and business data travel unencrypted. Use https://.")


def warnings(profile: Profile) -> list[Text]:
    """What is allowed but unsafe about a profile's settings, for ``profile add``, the doctor and the GUI form.

    Plain ``http://`` to a public host sends the app secret, the password and every session in clear text; loopback
    and private addresses (a K3Cloud server in the company LAN) stay quiet.
    """
    return [w for w in (url_warning(profile, "fx_url"), url_warning(profile, "k3_url")) if w is not None]
