"""The stack's errors: reported by `laborguard stack` as one message and exit status 1."""

from __future__ import annotations


class StackError(Exception):
    """The stack could not start, or a part of it failed while running."""


class ServiceExitedError(StackError):
    """A child service exited while the stack needed it."""


class NotReadyError(StackError):
    """A service did not report ready in time."""
