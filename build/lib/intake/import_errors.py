"""Errors for bad input files: every problem is collected, so a user can fix them all in one go."""

from __future__ import annotations

from collections.abc import Iterable


class DataImportError(ValueError):
    """An input file (or command argument) is not valid; nothing was written.

    `problems` holds one line per problem, each naming where it is (line and column, or key).
    """

    def __init__(self, problems: Iterable[str], source: str | None = None) -> None:
        self.problems = list(problems) or ["unknown problem"]
        self.source = source
        count = len(self.problems)
        head = f"{source}: " if source else ""
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{head}{count} {noun}: " + "; ".join(self.problems))


class NotFound(DataImportError):
    """Something named on the command line (a call id) does not exist."""

    def __init__(self, message: str) -> None:
        super().__init__([message])
        self.args = (message,)
