"""The one codec: orjson is imported here and nowhere else."""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from laborguard_contracts.errors import ContractError, MalformedJsonError

M = TypeVar("M", bound=BaseModel)


def encode(message: BaseModel) -> bytes:
    """Compact JSON without null fields. pydantic's serializer writes the bytes itself: the same
    bytes as orjson over `model_dump(mode="json")` (tests/contracts), 20-25% cheaper."""
    return message.__pydantic_serializer__.to_json(message, exclude_none=True)


def decode(model: type[M], data: bytes | str) -> M:
    """Parse and validate one message; any defect raises ContractError naming the field.

    pydantic parses the JSON itself (one pass, ~30% cheaper than orjson then validate).
    """
    try:
        return model.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        if first["type"] == "json_invalid":
            detail = first["msg"].removeprefix("Invalid JSON: ")
            raise MalformedJsonError("(message)", f"not valid JSON: {detail}") from exc
        if first["type"] == "model_type" and not first["loc"]:
            raise ContractError("(message)", "expected a JSON object") from exc
        raise ContractError.from_validation(exc) from exc


def dumps(value: Any) -> bytes:
    """Plain JSON for documents that are not wire models (reports, seeds, API bodies)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def pretty(value: Any) -> str:
    """Indented, key-sorted JSON text for files people read and diff (schemas, reports)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2).decode() + "\n"
