from __future__ import annotations

from pydantic import ValidationError


class ContractError(ValueError):
    """A message that does not meet its wire contract; `field` and `reason` say where and why."""

    def __init__(
        self, field: str, reason: str, issues: tuple[tuple[str, str], ...] | None = None
    ) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        # Every (field, reason), not only the first: what a referral lists for an officer.
        self.issues = issues if issues is not None else ((field, reason),)

    @classmethod
    def from_validation(cls, exc: ValidationError) -> ContractError:
        errors = exc.errors(include_url=False)
        first = errors[0]
        field = ".".join(str(part) for part in first["loc"]) or "(message)"
        more = len(_own_errors([tuple(error["loc"]) for error in errors])) - 1
        reason = first["msg"] + (f" (and {more} more error(s))" if more else "")
        issues = tuple(
            (".".join(str(part) for part in error["loc"]) or "(message)", error["msg"])
            for error in exc.errors(include_url=False)
        )
        return cls(field, reason, issues)


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
