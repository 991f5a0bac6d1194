"""Console forms to service arguments (pure), and errors to messages per form field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError

from laborguard_contracts import Order
from laborguard_registry.errors import InvalidChangeError, RegistryError

# Form fields of the issue form, by the first part of a model error's location.
FORM_FIELD = {"timeline": "effective", "entities": "entities", "order": "order_id"}
EDITABLE = ("title", "merchandise_scope", "hts_prefixes", "region", "notes")


class FormErrors(Exception):
    """One message per form field ("" = the form as a whole)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


def errors_of(exc: Exception) -> dict[str, str]:
    if isinstance(exc, FormErrors):
        return exc.errors
    if isinstance(exc, ValidationError):
        found: dict[str, str] = {}
        for error in exc.errors(include_url=False):
            location = [str(part) for part in error["loc"]]
            field = FORM_FIELD.get(location[0], location[0]) if location else ""
            found.setdefault(field, error["msg"].removeprefix("Value error, "))
        return found
    if isinstance(exc, RegistryError):
        field = (exc.field or "").split(".")[0]
        return {FORM_FIELD.get(field, field): exc.message}
    raise exc


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def prefixes(text: str) -> list[str] | None:
    """HTS prefixes, comma or space separated; empty means any merchandise."""
    found = [part.strip() for part in text.replace(",", " ").split() if part.strip()]
    return found or None


def required_date(form: Mapping[str, str], name: str) -> date:
    value = form.get(name, "").strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FormErrors({name: "a date (YYYY-MM-DD) is required"}) from None


def version(form: Mapping[str, str]) -> int:
    try:
        return int(form.get("expected_version", ""))
    except ValueError:
        raise FormErrors({"expected_version": "the version the change is made against"}) from None


def reason(form: Mapping[str, str]) -> str:
    text = form.get("reason", "").strip()
    if not text:
        raise FormErrors(
            {"reason": "every change needs a reason (it is recorded in the audit log)"}
        )
    return text


def draft_order(form: Mapping[str, str]) -> Order:
    """The issue form as a version-1 order; the contract's errors name the form's fields."""
    country = form.get("country", "").strip().upper() or None
    entities = [{"name": name, "country": country} for name in lines(form.get("entities", ""))]
    effective = form.get("effective", "").strip()
    document: dict[str, Any] = {
        "order_id": form.get("order_id", "").strip(),
        "version": 1,
        "kind": form.get("kind", ""),
        "title": form.get("title", "").strip(),
        "merchandise_scope": form.get("merchandise_scope", "").strip(),
        "hts_prefixes": prefixes(form.get("hts_prefixes", "")),
        "entities": entities,
        "region": form.get("region", "").strip().upper() or None,
        "action": form.get("action", "detain"),
        "timeline": [{"kind": "in_force", "effective": effective or None}],
        "source": form.get("source", "").strip(),
        "notes": form.get("notes", "").strip(),
    }
    return Order.model_validate(document)


def changes(order: Order, form: Mapping[str, str]) -> dict[str, Any]:
    """The editable fields whose submitted value differs from the order's."""
    submitted: dict[str, Any] = {
        "title": form.get("title", "").strip(),
        "merchandise_scope": form.get("merchandise_scope", "").strip(),
        "hts_prefixes": prefixes(form.get("hts_prefixes", "")),
        "region": form.get("region", "").strip().upper() or None,
        "notes": form.get("notes", "").strip(),
    }
    current = order.model_dump(mode="json")
    found = {name: value for name, value in submitted.items() if value != current.get(name)}
    if not found:
        raise InvalidChangeError("nothing was changed", "title")
    return found
