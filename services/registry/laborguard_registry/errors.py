"""The registry's error hierarchy; translated to HTTP in exactly one place (web/errors.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class RegistryError(Exception):
    """Base of every error the registry raises on purpose; `field` names the culprit if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidChangeError(RegistryError):
    """A change that would produce an invalid order, or bad input to a command."""


class ImportFormatError(InvalidChangeError):
    """An import file that cannot be read as the seed format or CBP's CSV."""


class NotFoundError(RegistryError):
    pass


class OrderNotFoundError(NotFoundError):
    pass


class TokenNotFoundError(NotFoundError):
    pass


class OrderExistsError(RegistryError):
    pass


class ConflictError(RegistryError):
    """A write that contradicts what the registry holds (an import rewriting an order)."""


class TooManyAttemptsError(RegistryError):
    """Too many failed authentications from one client address."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StaleVersionError(RegistryError):
    """The caller changed an order version that is no longer the current one."""


class AuthenticationError(RegistryError):
    pass


class PermissionDeniedError(RegistryError):
    pass


class TokenExistsError(RegistryError):
    pass


class RequestTooLargeError(RegistryError):
    pass


@contextmanager
def located(prefix: str) -> Iterator[None]:
    """Registry errors raised inside name their field under `prefix` (an item of a bulk request:
    `amendments.3` + `expected_version`)."""
    try:
        yield
    except RegistryError as exc:
        exc.field = f"{prefix}.{exc.field}" if exc.field else prefix
        exc.message = f"{prefix}: {exc.message}"
        raise
