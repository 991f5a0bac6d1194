"""Region signals in an address: an explicit region, a postal-code prefix, a place name.

Only the region field, the postal code, the city and the province count. The street does not
(Shanghai has an "Urumqi Middle Road"), and neither does the city part of a MID, which is too weak
to detain on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from laborguard_contracts import Address, MatchRule
from laborguard_screener.engine.names import canonical_tokens
from laborguard_screener.engine.vocabulary import XUAR_NATIVE_PLACES, XUAR_PLACES

XUAR = "CN-XJ"
# City part of a MID (first three letters of the city, after the street number) for Xinjiang's
# main cities. Weak: SHI is also Shijiazhuang, CHA Changsha, YIN Yinchuan; it only ever supports a
# region match found another way.
XUAR_MID_CITIES = frozenset(
    {"URU", "WUL", "HOT", "HET", "KAS", "AKS", "TUR", "KOR", "HAM", "KAR", "ART", "SHI", "CHA"}
    | {"YIN", "LUO", "LOP", "ATU", "KUQ", "BOR", "ALT", "TAC"}
)
_MID_CITY = re.compile(r"^CN[A-Z]{1,6}\d{1,4}([A-Z]{3})$")
# Chinese postal codes are six digits; the first two name the province: 83 and 84 are Xinjiang.
_XUAR_POSTAL_CODE = re.compile(r"^8[34]\d{4}$")


@dataclass(frozen=True, slots=True)
class RegionSignal:
    region: str
    rule: MatchRule
    field: str  # path below the party: "address.postal_code"
    observed: str
    matched: str


def address_signals(address: Address | None) -> tuple[RegionSignal, ...]:
    if address is None:
        return ()
    return _address_signals(
        address.region, address.country, address.postal_code, address.city, address.province
    )


# Pure, so memoised: the same factory address is filed again and again.
@lru_cache(maxsize=65_536)
def _address_signals(
    region: str | None,
    country: str | None,
    postal_code: str | None,
    city: str | None,
    province: str | None,
) -> tuple[RegionSignal, ...]:
    signals: list[RegionSignal] = []
    if region is not None:
        signals.append(
            RegionSignal(region, MatchRule.REGION_FIELD, "address.region", region, region)
        )
    if country in (None, "CN"):
        signals.extend(_postal_signal(postal_code))
        signals.extend(_place_signal("address.city", city))
        signals.extend(_place_signal("address.province", province))
    return tuple(signals)


def _postal_signal(postal_code: str | None) -> tuple[RegionSignal, ...]:
    code = (postal_code or "").replace(" ", "")
    if not _XUAR_POSTAL_CODE.match(code):
        return ()
    matched = f"{XUAR} postal prefix {code[:2]}"
    return (RegionSignal(XUAR, MatchRule.POSTAL_CODE, "address.postal_code", code, matched),)


def _place_signal(field: str, value: str | None) -> tuple[RegionSignal, ...]:
    place = xuar_place(value or "")
    if place is None:
        return ()
    matched = f"{XUAR} place {place}"
    return (RegionSignal(XUAR, MatchRule.PLACE_NAME, field, value or "", matched),)


def mid_city_signal(mid: str | None) -> RegionSignal | None:
    """Supporting evidence only: a Chinese MID whose city part is a Xinjiang city."""
    found = _MID_CITY.match(mid or "")
    if found is None or found.group(1) not in XUAR_MID_CITIES:
        return None
    matched = f"{XUAR} MID city part {found.group(1)} (supporting only)"
    return RegionSignal(XUAR, MatchRule.PLACE_NAME, "mid", mid or "", matched)


def xuar_place(text: str) -> str | None:
    """The first Xinjiang place named in `text`, in canonical spelling, or None."""
    for token in canonical_tokens(text):
        if token in XUAR_PLACES:
            return token
    for place in XUAR_NATIVE_PLACES:
        if place in text:
            return place
    return None
