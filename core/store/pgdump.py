"""Recognises a ``pg_dump`` output file (custom, directory, tar or plain format) and reads which database it holds.

The archive header layout (magic ``PGDMP``, version bytes, int/offset sizes, format, compression, creation time,
database name) is PostgreSQL's ``WriteHead``/``ReadHead`` in src/bin/pg_dump/pg_backup_archiver.c; from archive
version 1.15 (pg_dump 16) the compression is one byte instead of an int. Plain-format dumps start with the comment
``-- PostgreSQL database dump`` and do not name the database.
"""

from __future__ import annotations

import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

MAGIC = b"PGDMP"
PLAIN_MARK = b"-- PostgreSQL database dump"
_FORMATS = {1: "custom", 3: "tar", 5: "directory"}


@dataclass(frozen=True)
class DumpInfo:
    """What a dump file says about itself."""

    path: Path
    format: str  # custom | directory | tar | plain
    database: str | None  # None for plain dumps (they do not name it)
    made: datetime  # the file's modification time, UTC

    def age_hours(self, now: datetime | None = None) -> float:
        return ((now or datetime.now(UTC)) - self.made).total_seconds() / 3600


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos, self.int_size = data, 0, 4

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise ValueError("truncated header")
        self.pos += 1
        return self.data[self.pos - 1]

    def int_(self) -> int:
        negative = self.byte()
        value = 0
        for shift in range(self.int_size):
            value |= self.byte() << (8 * shift)
        return -value if negative else value

    def str_(self) -> str:
        length = self.int_()
        if length < 0 or length > 4096 or self.pos + length > len(self.data):
            raise ValueError("bad string length")
        raw = self.data[self.pos:self.pos + length]
        self.pos += length
        return raw.decode("utf-8", errors="replace")


def _archive_database(head: bytes) -> str:
    """The database name in an archive header (custom format file, or toc.dat of directory and tar formats)."""
    if not head.startswith(MAGIC):
        raise ValueError("no PGDMP header")
    r = _Reader(head[len(MAGIC):])
    vmaj, vmin = r.byte(), r.byte()
    r.byte()  # vrev
    r.int_size = r.byte()
    r.byte()  # offset size
    r.byte()  # format
    if not 1 <= r.int_size <= 8:
        raise ValueError("bad int size")
    if (vmaj, vmin) >= (1, 15):
        r.byte()  # compression algorithm
    else:
        r.int_()  # compression level
    for _ in range(7):  # creation time: sec, min, hour, mday, mon, year, isdst
        r.int_()
    return r.str_()


def inspect(path: Path) -> DumpInfo:
    """What ``path`` is; ValueError (with the reason) when it is not a pg_dump output."""
    made = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    if path.is_dir():
        toc = path / "toc.dat"
        if not toc.is_file():
            raise ValueError("a folder without toc.dat")
        return DumpInfo(path, "directory", _archive_database(toc.read_bytes()[:8192]), made)
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if head.startswith(MAGIC):
        return DumpInfo(path, _FORMATS.get(head[10] if len(head) > 10 else 0, "custom"), _archive_database(head), made)
    if PLAIN_MARK in head[:1024]:
        return DumpInfo(path, "plain", None, made)
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as tar:
            member = tar.extractfile("toc.dat") if "toc.dat" in tar.getnames() else None
            if member is None:
                raise ValueError("a tar file without toc.dat")
            return DumpInfo(path, "tar", _archive_database(member.read(8192)), made)
    raise ValueError("not a pg_dump output")
