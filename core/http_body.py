"""Reading an answer's body within a size cap (after decompression) and a deadline; strict UTF-8 decoding.

JSON is decoded as UTF-8 whatever the ``charset`` header says: RFC 8259 §8.1 requires UTF-8 for JSON exchanged
between systems, and both services speak UTF-8 (a header saying ``iso-8859-1`` on a UTF-8 body would otherwise turn
every Chinese name into mojibake). Undecodable bytes are refused, never replaced with U+FFFD.
"""

from __future__ import annotations

import codecs
import time
import zlib
from collections.abc import Callable
from typing import Any

#: Decoded bytes an answer may have; a real page of either service is far below this.
MAX_BODY_BYTES = 16 * 1024 * 1024
CHUNK = 64 * 1024


class BodyTooLarge(Exception):
    """The decoded body passed the cap."""


class DeadlinePassed(Exception):
    """The whole answer did not arrive within the request's total deadline."""


class BadEncoding(Exception):
    """An unsupported or corrupt ``Content-Encoding``."""


class _Decoder:
    """``Content-Encoding`` gzip / deflate / identity, decompressed never more than the room left under the cap."""

    def __init__(self, coding: str) -> None:
        self.coding = coding.strip().lower()
        if self.coding in ("", "identity"):
            self._z: Any = None
        elif self.coding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise BadEncoding(f"unsupported content encoding {coding!r}")
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """Up to ``room + 1`` decoded bytes of ``data`` (one more than the room means: over the cap)."""
        if self._z is None:
            return data[: room + 1]
        out = bytearray()
        while data and len(out) <= room:
            if self._z.eof:
                if self.coding == "deflate":
                    break  # bytes after the end of a deflate stream are ignored
                self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)  # a further gzip member
            try:
                part = self._z.decompress(data, room + 1 - len(out))  # max_length: never inflate past the cap
            except zlib.error:
                if self.coding == "deflate" and not self._started:  # raw deflate without the zlib header
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._started = True
                    continue
                raise BadEncoding(f"corrupt {self.coding} data") from None
            self._started = True
            out += part
            data = self._z.unconsumed_tail or (self._z.unused_data if self._z.eof else b"")
        return bytes(out)

    def finish(self) -> None:
        if self._z is not None and self._started and not self._z.eof:
            raise BadEncoding(f"truncated {self.coding} data")


Reader = Callable[[int], bytes]


def read_capped(read: Reader, *, coding: str, limit: int, deadline_at: float, read_timeout: float,
                set_timeout: Callable[[float], None]) -> bytes:
    """The decoded body, read chunk by chunk.

    Each socket read waits at most the read timeout and never past ``deadline_at`` (``time.monotonic()``), so a
    body trickled byte by byte ends at the deadline. Raises ``BodyTooLarge``, ``DeadlinePassed``, ``BadEncoding``
    and whatever ``read`` raises.
    """
    decoder = _Decoder(coding)
    out = bytearray()
    while True:
        remaining = deadline_at - time.monotonic()
        if remaining <= 0:
            raise DeadlinePassed()
        set_timeout(min(read_timeout, remaining))
        chunk = read(CHUNK)
        if not chunk:
            break
        out += decoder.feed(chunk, limit - len(out))
        if len(out) > limit:
            raise BodyTooLarge()
    decoder.finish()
    return bytes(out)


def decode_text(body: bytes, declared: str | None) -> tuple[str, str | None]:
    """(text, error): the body as strict UTF-8 (a BOM dropped); else (best-effort text for messages, what is wrong).

    The best-effort text uses the declared charset when there is one (an HTML error page in GBK stays readable in a
    message) and never feeds a parser.
    """
    try:
        return body.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        error = f"byte 0x{body[exc.start]:02x} at position {exc.start} is not valid UTF-8"
    charset = (declared or "").strip().strip('"').lower()
    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "utf-8"
    return body.decode(charset or "utf-8", "replace"), error


def charset_of(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset":
            return value.strip() or None
    return None
