from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Contract(BaseModel):
    """Base of every wire model: frozen, and strict about unknown fields so typos fail loudly."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


SCHEMA_VERSION = 1
