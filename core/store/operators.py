"""Keeps an operator openUserId looked up by mobile in the database, so ``getByMobile`` runs once per profile."""

from __future__ import annotations

from collections.abc import Callable

from core.store.database import Database


def db_operator_cache(db: Database, profile_id: int) -> Callable[[str, Callable[[], str]], str]:
    """An ``operator_cache`` for ``FxiaokeClient``: the stored id for a key, else ``resolve()`` stored."""

    def cached(key: str, resolve: Callable[[], str]) -> str:
        from core.store.models import OperatorCache as OperatorRow  # the ORM when first needed (start-up speed)

        with db.session() as s:
            row = s.get(OperatorRow, (profile_id, key))
            if row is not None and row.open_user_id:
                return row.open_user_id
        uid = resolve()
        with db.session() as s:
            row = s.get(OperatorRow, (profile_id, key))
            if row is None:
                s.add(OperatorRow(profile_id=profile_id, key=key, open_user_id=uid))
            else:
                row.open_user_id = uid
        return uid

    return cached
