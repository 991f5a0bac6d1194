"""Which environment variables a service's settings class reads."""

from __future__ import annotations

from pydantic import AliasChoices
from pydantic_settings import BaseSettings


def variables_read_by(settings: type[BaseSettings]) -> set[str]:
    """Environment variables a pydantic-settings class reads."""
    prefix = settings.model_config.get("env_prefix", "")
    names = set()
    for name, field in settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names |= {c.upper() for c in alias.choices if isinstance(c, str)}
        elif isinstance(alias, str):
            names.add(alias.upper())
        else:
            names.add(f"{prefix}{name}".upper())
    return names
