"""What every benchmark does first: a temp data folder and an in-memory keyring, so it never touches the user's data
or keychain."""

from __future__ import annotations

import os
import tempfile


def isolate() -> None:
    os.environ["FXK3SYNC_HOME"] = tempfile.mkdtemp(prefix="fxk3-bench-")
    import keyring  # after the home is set: nothing of the product is imported before

    from tests.keyring_backends import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
