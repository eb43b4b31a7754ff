"""A record inside the write half of a run: its journal row, what K3Cloud has for it, how far it got."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import ErrorInfo, FxiaokeAuthError, K3CloudAuthError
from core.profiles import Profile
from core.sync.k3state import K3Doc
from core.sync.model import ItemResult
from core.sync.plan import Work

if TYPE_CHECKING:
    from core.sync.journal import Journal

#: Credentials refused: stop the run (the journal keeps what is unfinished for the next run to confirm).
AUTH_ERRORS = (K3CloudAuthError, FxiaokeAuthError)
#: Seconds between rounds of sending or of Submit/Audit attempts (times the round number).
ROUND_PAUSE = 0.5


@dataclass(eq=False)  # compared by identity: a slot is one record's place in one run
class Slot:
    """A work item inside the writer: its journal row, what K3Cloud has for it, and how far it got."""

    work: Work
    status: str = ""
    stage: str | None = None
    k3_id: str | None = None
    k3_number: str | None = None
    error: ErrorInfo | None = None
    note: ErrorInfo | None = None  # something a person should look at on a document that is fine (amount drift)
    attempts: int = 0
    unknown: bool = False  # a write of it had an unknown outcome: a later answer may be about a second copy
    alone: bool = False  # send it in a batch of its own (its batch was refused as a whole)
    doc: K3Doc | None = None  # what K3Cloud holds for it (read back for change detection)
    diff: list[dict[str, str]] | None = None  # how the payload differs from ``doc`` (empty: equal)

    @property
    def key(self) -> str:
        return self.work.idem_key

    @property
    def number(self) -> str:
        """The number K3Cloud knows the document by (its own if it renumbered ours)."""
        return self.k3_number or self.key

    def result(self, flow: str) -> ItemResult:
        return ItemResult(self.work.source_id, self.status, self.k3_id, self.k3_number or self.key or None,
                          self.error or self.note, self.stage, self.work.item_id, flow, self.work.source_number,
                          diff=self.diff or None)


def target_stage(profile: Profile) -> str:
    """How far the profile wants documents taken: saved, submitted or audited."""
    if profile.audit:
        return "audited"
    return "submitted" if profile.submit else "saved"


def pause(seconds: float, cancel: threading.Event | None) -> bool:
    """Waits, waking early when the run is cancelled; returns whether it was cancelled."""
    if cancel is None:
        time.sleep(seconds)
        return False
    return cancel.wait(seconds)


def text_or_none(v: object) -> str | None:
    return None if v in (None, "") else str(v)


def claim(journal: Journal, run_id: int, flow: str, chunk: list[Slot]) -> tuple[list[Slot], list[Slot]]:
    """Marks the chunk 'writing' and claims its keys (``Journal.mark_writing``) before anything is sent; returns
    (slots this run may send, slots another running run holds: they must not be sent). The writer and the updater
    both claim through here."""
    mine = journal.mark_writing(run_id, flow, [(s.work.item_id, s.key) for s in chunk if s.work.item_id is not None])
    return [s for s in chunk if s.work.item_id in mine], [s for s in chunk if s.work.item_id not in mine]
