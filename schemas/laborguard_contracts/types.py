"""Constrained field types shared by the contracts."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints


def _hts_digits(value: str) -> str:
    return value.replace(".", "")


# HTS code as filed: 6 to 10 digits, dots optional ("6109.10.0012"); stored as digits only.
HtsCode = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}(\.?\d{2}){1,3}$"),
    AfterValidator(_hts_digits),
]
# HTS heading prefix an order covers: 2 to 10 digits, dots optional; stored as digits only.
HtsPrefix = Annotated[
    str,
    StringConstraints(pattern=r"^\d{2}(\d{2})?(\.?\d{2}){0,3}$"),
    AfterValidator(_hts_digits),
]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
# ISO 3166-2 subdivision, e.g. CN-XJ for the Xinjiang Uyghur Autonomous Region.
RegionCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")]
# A region as a filer writes it: "CN-XJ", "CN-65", "Xinjiang", "XUAR", "新疆"... (see regions.py).
RegionText = Annotated[str, StringConstraints(min_length=1, max_length=512)]
PortCode = Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
Mid = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[A-Z0-9]{1,13}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=512)]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Text = Annotated[str, Field(max_length=4000)]
