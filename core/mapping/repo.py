"""Versioned mappings per profile and flow in the local database; export to and import from a JSON file."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.errors import ConfigError, MappingError, Text
from core.mapping.defaults import load_default
from core.mapping.model import Mapping
from core.store import Database, models

_SAVE_ATTEMPTS = 5


def _flow_mismatch(flow: str, mapping: Mapping) -> MappingError:
    return MappingError(
        Text(f"该映射属于流程 {mapping.flow}，不能保存为 {flow}",
             f"this mapping is for flow {mapping.flow}, not {flow}"),
        Text("请选择与文件相符的流程。", "Pick the flow the file was exported from."), field="flow",
    )


class MappingRepo:
    """Every saved version of each profile's mappings (table ``mappings``); a flow never saved uses the default."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, profile_id: int, flow: str) -> Mapping:
        """The latest saved version, else the shipped default of ``flow``."""
        with self.db.session() as s:
            body = s.scalars(
                select(models.Mapping.body_json)
                .where(models.Mapping.profile_id == profile_id, models.Mapping.flow == flow)
                .order_by(models.Mapping.version.desc()).limit(1)
            ).first()
        return Mapping.from_json(body) if body is not None else load_default(flow)

    def get_version(self, profile_id: int, flow: str, version: int) -> Mapping:
        """One saved version (to show or restore it); MappingError when there is no such version."""
        with self.db.session() as s:
            body = s.scalars(select(models.Mapping.body_json).where(
                models.Mapping.profile_id == profile_id, models.Mapping.flow == flow, models.Mapping.version == version,
            )).first()
        if body is None:
            raise MappingError(Text(f"没有映射版本 {version}", f"there is no mapping version {version}"),
                               field="version")
        return Mapping.from_json(body)

    def save(self, profile_id: int, flow: str, mapping: Mapping) -> int:
        """Validate and store ``mapping`` as the next version of ``flow``; returns the new version number."""
        mapping.validate()
        if mapping.flow != flow:
            raise _flow_mismatch(flow, mapping)
        body = mapping.to_json()
        for attempt in range(_SAVE_ATTEMPTS):
            try:
                with self.db.session() as s:
                    if s.get(models.Profile, profile_id) is None:
                        raise ConfigError(
                            Text(f"档案 {profile_id} 不存在", f"profile {profile_id} does not exist"), field="profile")
                    latest = s.scalar(select(func.max(models.Mapping.version)).where(
                        models.Mapping.profile_id == profile_id, models.Mapping.flow == flow))
                    version = (latest or 0) + 1
                    s.add(models.Mapping(profile_id=profile_id, flow=flow, version=version, body_json=body))
                return version
            except IntegrityError:
                # Another window saved the same version number first: number ours after it.
                if attempt == _SAVE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def history(self, profile_id: int, flow: str) -> list[tuple[int, datetime]]:
        """``(version, created_at)`` of every saved version, oldest first (empty: the default is in use)."""
        with self.db.session() as s:
            rows = s.execute(
                select(models.Mapping.version, models.Mapping.created_at)
                .where(models.Mapping.profile_id == profile_id, models.Mapping.flow == flow)
                .order_by(models.Mapping.version)
            ).all()
        return [(v, at) for v, at in rows]

    def reset(self, profile_id: int, flow: str) -> int:
        """Save the shipped default as a new version (older versions stay in the history)."""
        return self.save(profile_id, flow, load_default(flow))

    def export_file(self, profile_id: int, flow: str, path: Path | str) -> None:
        """Write the current mapping of ``flow`` as JSON (UTF-8) to ``path``."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.get(profile_id, flow).to_json() + "\n", encoding="utf-8")
        os.replace(tmp, path)

    def import_file(self, profile_id: int, flow: str, path: Path | str) -> int:
        """Validate the file and save it as a new version; MappingError (nothing changed) when it is not valid."""
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise MappingError(
                Text(f"无法读取映射文件 {path}：{exc}", f"cannot read the mapping file {path}: {exc}"),
                Text("请选择导出的 UTF-8 JSON 映射文件。", "Pick a UTF-8 JSON mapping file exported by FxK3 Sync."),
            ) from exc
        mapping = Mapping.from_json(text)
        if mapping.flow != flow:
            raise _flow_mismatch(flow, mapping)
        return self.save(profile_id, flow, mapping)
