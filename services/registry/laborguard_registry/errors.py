"""The registry's error hierarchy; translated to HTTP in exactly one place (web/errors.py)."""

from __future__ import annotations


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
