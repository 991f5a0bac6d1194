"""Regions as filed: free text, with the ISO 3166-2 code it names when one is recognised.

A declaration writes a region as it likes: "CN-XJ", "CN-65", "Xinjiang", "XUAR", "Xinjiang
Uygur Autonomous Region", "新疆", "Sinkiang". `region_code` recognises the ISO 3166-2 codes and
subdivision names of pycountry's ISO 3166-2 data (names with accents and case folded, and with
the administrative words Chinese names carry, "Sheng", "Zizhiqu", "Huizu", dropped), the former
numeric codes of China's provinces ("CN-65"), and the common English, pinyin, Chinese and
historical forms of the regions the orders name (`COMMON_FORMS`). What it does not recognise
is kept as filed and screened as an unknown region: a spelling never rejects an event.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Common forms of regions that orders name, beyond their ISO 3166-2 names.
COMMON_FORMS: dict[str, tuple[str, ...]] = {
    "CN-XJ": (
        "xinjiang",
        "xuar",
        "xinjiang uyghur autonomous region",
        "xinjiang uygur autonomous region",
        "xinjiang uighur autonomous region",
        "xinjiang autonomous region",
        "xinjiang province",
        "xinjiang uyghur",
        "xinjiang uygur",
        "uyghur region",
        "uyghur autonomous region",
        "sinkiang",
        "sinkiang uighur",
        "east turkestan",
        "east turkistan",
        "eastern turkestan",
        "chinese turkestan",
        "新疆",
        "新疆维吾尔自治区",
        "新疆维吾尔族自治区",
        "新疆自治区",
        "新疆生产建设兵团",
    ),
    "CN-XZ": ("tibet", "tibet autonomous region", "tar", "xizang", "西藏", "西藏自治区"),
    "CN-NM": ("inner mongolia", "inner mongolia autonomous region", "内蒙古", "内蒙古自治区"),
    "CN-GX": ("guangxi", "guangxi zhuang autonomous region", "广西", "广西壮族自治区"),
    "CN-NX": ("ningxia", "ningxia hui autonomous region", "宁夏", "宁夏回族自治区"),
    "CN-HK": ("hong kong", "hongkong", "hksar", "香港"),
    "CN-MO": ("macau", "macao", "澳门"),
}
# China's former numeric subdivision codes (GB/T 2260), still written in filings: CN-65 is
# Xinjiang.
CN_NUMERIC = {
    "11": "BJ", "12": "TJ", "13": "HE", "14": "SX", "15": "NM", "21": "LN", "22": "JL",
    "23": "HL", "31": "SH", "32": "JS", "33": "ZJ", "34": "AH", "35": "FJ", "36": "JX",
    "37": "SD", "41": "HA", "42": "HB", "43": "HN", "44": "GD", "45": "GX", "46": "HI",
    "50": "CQ", "51": "SC", "52": "GZ", "53": "YN", "54": "XZ", "61": "SN", "62": "GS",
    "63": "QH", "64": "NX", "65": "XJ", "71": "TW", "91": "HK", "92": "MO",
}  # fmt: skip
# Administrative words of subdivision names, dropped to give the name as people write it.
_ADMINISTRATIVE = frozenset(
    {"sheng", "shi", "zizhiqu", "huizu", "zhuangzu", "uygur", "uyghur", "uighur", "sar"}
    | {"province", "autonomous", "region", "municipality", "prefecture", "state", "oblast"}
)
_CODE = re.compile(r"^([A-Z]{2})[-\s_.]?([A-Z0-9]{1,3})$")
_NON_WORD = re.compile(r"[\W_]+")


def region_code(filed: str | None, country: str | None = None) -> str | None:
    """The ISO 3166-2 code `filed` names, or None when it names none we know (or several,
    and `country` does not settle which)."""
    if not filed:
        return None
    text = unicodedata.normalize("NFKC", filed).strip()
    code = _as_code(text.upper())
    if code is not None:
        return code
    folded = fold(text)
    names = _names()
    candidates = names.get(folded) or names.get(_without_administrative(folded), ())
    if country is not None and len(candidates) > 1:
        candidates = tuple(c for c in candidates if c.startswith(f"{country}-"))
    return candidates[0] if len(candidates) == 1 else None


def fold(text: str) -> str:
    """Case, accents and punctuation folded: "Ürümqi" is "urumqi"."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", bare).split())


def _without_administrative(folded: str) -> str:
    return " ".join(word for word in folded.split() if word not in _ADMINISTRATIVE)


def _as_code(text: str) -> str | None:
    found = _CODE.match(text)
    if found is None:
        return None
    country, part = found.groups()
    if country == "CN" and part in CN_NUMERIC:
        part = CN_NUMERIC[part]
    code = f"{country}-{part}"
    return code if code in _codes() else None


@cache
def _codes() -> frozenset[str]:
    import pycountry  # 0.4 s to load: only when a region is filed

    return frozenset(subdivision.code for subdivision in pycountry.subdivisions)


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Folded names (and names without administrative words) -> the codes they name."""
    import pycountry

    found: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        name = fold(subdivision.name)
        short = _without_administrative(name)
        for form in {name, short} - {""}:
            found.setdefault(form, set()).add(subdivision.code)
    for code, forms in COMMON_FORMS.items():
        for form in forms:
            found[fold(form)] = {code}  # the common form wins over a namesake elsewhere
    return {name: tuple(sorted(codes)) for name, codes in found.items()}
