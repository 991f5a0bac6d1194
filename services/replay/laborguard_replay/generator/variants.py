"""How filers actually write a listed name: legal-form noise, romanisation, typos, case."""

from __future__ import annotations

import re
from random import Random

_LEGAL_FORM = re.compile(
    r"\s*,?\s*(Co\.,? ?Ltd\.?|Company Limited|Co\. Limited|Corporation|Limited|Ltd\.?)\s*$",
    re.IGNORECASE,
)
_FORM_SPELLINGS = ("Co., Ltd.", "Co. Ltd", "CO.,LTD", "Company Limited", "Co Ltd", "Ltd.")
ROMANISATIONS = (
    ("Hetian", "Hotan"),
    ("Lop County", "Luopu County"),
    ("Kashgar", "Kashi"),
    ("Yili", "Ili"),
    ("Hoshine", "Hesheng"),
    ("Urumqi", "Wulumuqi"),
    ("Tianshan", "Tian Shan"),
)


def swap_legal_form(rng: Random, name: str) -> str:
    stem = _LEGAL_FORM.sub("", name)
    if stem == name:
        return f"{name} {rng.choice(_FORM_SPELLINGS)}"
    return f"{stem} {rng.choice(_FORM_SPELLINGS)}"


def romanise(rng: Random, name: str) -> str | None:
    """The same name in the other common romanisation, or None when none applies."""
    options = [(a, b) for a, b in ROMANISATIONS if a in name] + [
        (b, a) for a, b in ROMANISATIONS if b in name
    ]
    if not options:
        return None
    old, new = rng.choice(options)
    return name.replace(old, new)


def typo(rng: Random, name: str) -> str:
    """One slip of the keyboard inside a word (never the first letter)."""
    positions = [i for i in range(1, len(name) - 1) if name[i].isalpha() and name[i - 1].isalpha()]
    if not positions:
        return name
    i = rng.choice(positions)
    kind = rng.randrange(3)
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1 and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i] + name[i:]


def variant(rng: Random, name: str, aliases: tuple[str, ...]) -> tuple[str, str]:
    """A filed spelling of a listed name and what kind of variant it is."""
    roll = rng.random()
    if roll < 0.45:
        return name, "exact"
    if roll < 0.65:
        return swap_legal_form(rng, name), "legal_form"
    if roll < 0.77:
        romanised = romanise(rng, name)
        if romanised:
            return romanised, "romanisation"
    if roll < 0.87:
        return typo(rng, name), "typo"
    if aliases and roll < 0.95:
        return rng.choice(aliases), "alias"
    return name.upper(), "upper_case"
