"""Identifiers as filed: entry numbers (filer code + 7 digits + check digit) and MIDs."""

from __future__ import annotations

import re

_MID_SKIP = {"a", "an", "and", "of", "the"}


def _digit_of(char: str) -> int:
    """Filer-code letters count as digits: A-I = 1-9, J-R = 1-9, S-Z = 2-9."""
    if char.isdigit():
        return int(char)
    offset = ord(char.upper()) - ord("A")
    return offset % 9 + 1 if offset < 18 else offset - 16


def check_digit(filer_code: str, serial: str) -> int:
    """Mod-10 (Luhn) check digit over the filer code and the 7-digit serial."""
    total = 0
    for position, char in enumerate(reversed(filer_code + serial)):
        value = _digit_of(char)
        if position % 2 == 0:
            value *= 2
            value = value - 9 if value > 9 else value
        total += value
    return (10 - total % 10) % 10


def entry_number(filer_code: str, serial: int) -> str:
    digits = f"{serial:07d}"
    return f"{filer_code}{digits}{check_digit(filer_code, digits)}"


def mid(name: str, street: str | None, city: str | None, country: str) -> str:
    """MID per 19 CFR 102 appendix: country, 3+3 letters of the name, street number, 3 of city."""
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _MID_SKIP]
    name_part = "".join(word[:3] for word in words[:2]).upper()
    numbers = [int(n) for n in re.findall(r"\d+", street or "")]
    number_part = str(max(numbers))[:4] if numbers else ""
    city_part = "".join(re.findall(r"[A-Za-z]", city or ""))[:3].upper()
    return f"{country}{name_part}{number_part}{city_part}"[:15]
