"""Producers with addresses: pools per country and category, Xinjiang's own, decoys, listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from random import Random

from laborguard_replay.generator.listed import ListedTarget
from laborguard_replay.generator.names import foreign_company
from laborguard_replay.generator.places import (
    CITIES,
    STREET_WORDS,
    XINJIANG,
    XINJIANG_SPELLINGS,
    City,
)

POSTAL_CODE_MANDATORY = date(2023, 3, 18)  # ACE: Chinese manufacturer postal code required


@dataclass(frozen=True)
class Maker:
    name: str
    street: str | None
    city: City
    country: str
    in_xinjiang: bool = False
    postal_code: str | None = None


@dataclass(frozen=True)
class FiledAddress:
    """An address as one filing writes it: spellings and optional fields vary by filer."""

    street: str | None
    city: str
    province: str | None
    postal_code: str | None
    country: str
    region: str | None

    def fields(self) -> tuple[tuple[str, str | None], ...]:
        return (
            ("street", self.street),
            ("city", self.city),
            ("province", self.province),
            ("postal_code", self.postal_code),
            ("country", self.country),
            ("region", self.region),
        )


def _postal_code(rng: Random, city: City) -> str | None:
    if city.postal_prefix is None:
        return None
    rest = city.postal_length - len(city.postal_prefix)
    return city.postal_prefix + "".join(str(rng.randrange(10)) for _ in range(rest))


def street(rng: Random, country: str) -> str:
    if country == "CN":
        return f"No. {rng.randint(1, 999)} {rng.choice(STREET_WORDS)} Road"
    if country in ("VN", "MY", "ID", "TH", "KH"):
        return f"Lot {rng.choice('ABCDEFG')}{rng.randint(1, 99)}, Industrial Park"
    return f"{rng.randint(1, 400)} Industrial Road"


def _make(rng: Random, country: str, city: City, industry: str, xj: bool = False) -> Maker:
    name = foreign_company(rng, country, city.name, industry)
    return Maker(name, street(rng, country), city, country, xj, _postal_code(rng, city))


@cache
def pool(seed: int, country: str, industry: str, size: int = 30) -> tuple[Maker, ...]:
    rng = Random(f"{seed}/makers/{country}/{industry}")
    cities = CITIES.get(country, CITIES["CN"])
    return tuple(_make(rng, country, rng.choice(cities), industry) for _ in range(size))


@cache
def xinjiang_pool(seed: int, industry: str, size: int = 12) -> tuple[Maker, ...]:
    rng = Random(f"{seed}/xinjiang/{industry}")
    return tuple(_make(rng, "CN", rng.choice(XINJIANG), industry, True) for _ in range(size))


def listed_maker(rng: Random, target: ListedTarget, filed_name: str) -> Maker:
    country = "CN" if target.country == "HK" else target.country
    postal = _postal_code(rng, target.city)
    return Maker(filed_name, street(rng, country), target.city, country, target.in_xinjiang, postal)


# Near-misses that must not match (shared words, not shared identities), with what they make.
DECOYS = (
    (Maker("Silk Road Cotton Traders Ltd.", "12 Mall Road", CITIES["PK"][1], "PK"), "yarn_fabric"),
    (
        Maker("Tianshan Home Textiles Co., Ltd.", "No. 88 Gongye Road", CITIES["CN"][10], "CN"),
        "home_textile",
    ),
    (
        Maker("Golden Camel Leather Goods Co., Ltd.", "No. 5 Xingye Road", CITIES["CN"][2], "CN"),
        "footwear",
    ),
    (
        Maker("Meiling Garden Tools Co., Ltd.", "No. 17 Binhai Road", CITIES["CN"][4], "CN"),
        "fasteners",
    ),
    (
        Maker("Top Quality Glove Sdn. Bhd.", "Lot 9, Industrial Park", CITIES["MY"][1], "MY"),
        "gloves",
    ),
)


def file_address(rng: Random, maker: Maker, on: date) -> FiledAddress:
    """Each filing spells the place its own way; Xinjiang addresses carry uneven signals."""
    city = maker.city.name
    if maker.in_xinjiang and city in XINJIANG_SPELLINGS and rng.random() < 0.35:
        city = rng.choice(XINJIANG_SPELLINGS[city])
    postal = maker.postal_code
    if maker.country == "CN" and on < POSTAL_CODE_MANDATORY and rng.random() < 0.4:
        postal = None
    province = maker.city.province
    region = None
    if maker.in_xinjiang:
        province = rng.choice(("Xinjiang", "Xinjiang Uygur Autonomous Region", "XUAR", None))
        region = "CN-XJ" if rng.random() < 0.3 else None
    return FiledAddress(maker.street, city, province, postal, maker.country, region)
