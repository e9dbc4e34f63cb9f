"""Start-up errors: what stops a command before it does anything, said in one line (exit code 2)."""

from __future__ import annotations


class StartupError(Exception):
    """Frist cannot start as configured: a bad setting, a database or a Slack it cannot reach.

    The message is one line that says what is wrong and what was expected; `frist` prints it
    without a traceback and exits with code 2."""
