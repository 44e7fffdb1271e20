"""Who ran a command, as the activity log names them."""

from __future__ import annotations

import getpass


def operator_name() -> str:
    try:
        return f"cli ({getpass.getuser()})"
    except (KeyError, OSError):  # no user name in this container
        return "cli"
