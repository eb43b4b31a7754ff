"""TLS trust: the public CAs plus a profile's CA bundle, and checking that bundle when it is set or used."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from core.errors import ConfigError, Text

#: No CA bundle is this big; a bigger file is the wrong file (and must not be read into memory).
MAX_CA_BUNDLE_BYTES = 10 * 1024 * 1024
_ADVICE = Text("请在配置的 CA 证书文件（ca_bundle）里选择 PEM 格式的证书文件"
               "（内容以 -----BEGIN CERTIFICATE----- 开头），或清空这项设置。",
               "Point the profile's CA bundle setting (ca_bundle) at a PEM certificate file (it starts with "
               "-----BEGIN CERTIFICATE-----), or clear the setting.")


def _bad(path: str, zh: str, en: str) -> ConfigError:
    return ConfigError(Text(f"设置项“ca_bundle”：CA 证书文件“{path}”{zh}", f"Setting 'ca_bundle': the CA bundle file "
                            f"'{path}' {en}"), _ADVICE, field="ca_bundle")


def trust_context(ca_bundle: str) -> ssl.SSLContext:
    """A verifying TLS context trusting requests' CA bundle (certifi) and the certificates in ``ca_bundle``.

    Raises:
        ConfigError: naming the ``ca_bundle`` setting when the file is missing, unreadable, too big, or holds no
            certificate (empty, garbage, only a private key).
    """
    shown = str(ca_bundle)
    path = Path(ca_bundle).expanduser()
    try:
        if not path.is_file():
            raise _bad(shown, "不存在（或不是文件）。", "does not exist (or is not a file).")
        if path.stat().st_size > MAX_CA_BUNDLE_BYTES:
            raise _bad(shown, "太大，不是 CA 证书文件。", "is too big to be a CA bundle.")
        ctx = ssl.create_default_context(cafile=requests.utils.DEFAULT_CA_BUNDLE_PATH)
        ctx.load_verify_locations(cafile=str(path))
    except ssl.SSLError:
        raise _bad(shown, "里没有可用的证书（文件为空、内容损坏，或只有私钥）。",
                   "holds no usable certificate (it is empty, corrupt, or holds only a private key).") from None
    except (OSError, ValueError) as exc:
        raise _bad(shown, f"无法读取（{type(exc).__name__}）。", f"cannot be read ({type(exc).__name__}).") from None
    return ctx


def check_ca_bundle(ca_bundle: str | None) -> None:
    """Raises ``ConfigError`` (field ``ca_bundle``) unless ``ca_bundle`` is empty or a usable certificate file."""
    if ca_bundle:
        trust_context(ca_bundle)


class TrustAdapter(HTTPAdapter):
    """HTTPS that trusts the usual public CAs plus the profile's CA bundle, if any.

    One profile names one CA bundle for its in-house server; trusting only that bundle would make the other side
    (usually a public cloud) fail, so the bundle is added to the default trust instead of replacing it. The context
    is built (and the bundle checked) when the adapter is made, so a bad bundle is a ``ConfigError`` up front.
    """

    def __init__(self, ca_bundle: str | None, **kw: Any) -> None:
        self._context = trust_context(ca_bundle) if ca_bundle else None
        super().__init__(**kw)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._context is not None:
            kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)
