from __future__ import annotations

from pydantic import ValidationError


class ContractError(ValueError):
    """A message that does not meet its wire contract; `field` and `reason` say where and why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    @classmethod
    def from_validation(cls, exc: ValidationError) -> ContractError:
        errors = exc.errors(include_url=False)
        first = errors[0]
        field = ".".join(str(part) for part in first["loc"]) or "(message)"
        more = len(_own_errors([tuple(error["loc"]) for error in errors])) - 1
        reason = first["msg"] + (f" (and {more} more error(s))" if more else "")
        return cls(field, reason)


class MalformedJsonError(ContractError):
    """The bytes are not JSON at all (as opposed to JSON that breaks the contract)."""


def _own_errors(locations: list[tuple[int | str, ...]]) -> list[tuple[int | str, ...]]:
    """The errors that are not knock-ons: a list left too short because its only item failed
    (`lines` after `lines.0.hts_code`) is the same mistake, not one more."""
    return [
        loc
        for loc in locations
        if not any(len(other) > len(loc) and other[: len(loc)] == loc for other in locations)
    ]
