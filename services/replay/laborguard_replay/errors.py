"""The replay tools' errors; the command line turns them into one message and exit status 2."""

from __future__ import annotations


class ReplayError(Exception):
    """Base of every error the replay tools report to their user."""


class HistoryError(ReplayError):
    """A history or decisions file line that is not a valid message: where it is and why."""

    def __init__(self, path: str, line: int, field: str, reason: str) -> None:
        super().__init__(f"{path}:{line}: {field}: {reason}")
        self.path = path
        self.line = line
        self.field = field
        self.reason = reason


class CandidateError(ReplayError):
    """A candidate order set that cannot be loaded or applied."""


class TimeWindowError(ReplayError):
    """A --since/--until window that is empty or not a date."""
