"""Which PC and which OS user this process runs as: stored with each run and each lock (team mode's History)."""

from __future__ import annotations

import getpass
import socket

MAX_LEN = 255


def host_name() -> str:
    """This computer's host name (truncated to ``MAX_LEN``); ``"?"`` when the OS gives none."""
    try:
        return (socket.gethostname() or "?")[:MAX_LEN]
    except OSError:  # pragma: no cover - gethostname does not fail on a sane OS
        return "?"


def os_user() -> str:
    """The OS (on Windows: the Windows) user name, as ``getpass.getuser`` finds it; ``"?"`` when there is none.

    getpass reads LOGNAME/USER/LNAME/USERNAME and then the password database; a service account in a container may
    have neither, which raises OSError (KeyError before Python 3.13).
    """
    try:
        return (getpass.getuser() or "?")[:MAX_LEN]
    except (OSError, KeyError):
        return "?"
