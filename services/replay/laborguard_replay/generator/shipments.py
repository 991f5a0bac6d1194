"""One synthetic shipment: who imports what from whom, and which risk (if any) it carries."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from random import Random
from typing import TypeVar

from laborguard_replay.generator.listed import ListedTarget
from laborguard_replay.generator.makers import (
    DECOYS,
    Maker,
    listed_maker,
    pool,
    xinjiang_pool,
)
from laborguard_replay.generator.ports import PORTS, Port
from laborguard_replay.generator.products import (
    CATEGORIES,
    CATEGORY_BY_NAME,
    Category,
    Product,
    products_in,
)
from laborguard_replay.generator.variants import variant

LISTED_RATE = 0.012  # share of shipments naming a listed entity somewhere
DECOY_RATE = 0.004
# Share of Chinese-made goods of a category produced in Xinjiang, before the 2022 UFLPA.
XINJIANG_MADE = {
    "hair": 0.15,
    "food": 0.12,
    "tomato": 0.3,
    "silicon": 0.4,
    "chemicals": 0.15,
    "aluminium": 0.2,
    "yarn_fabric": 0.08,
    "home_textile": 0.03,
    "apparel": 0.02,
}
# Share of cotton inputs grown in Xinjiang, by year (avoidance grows after the orders).
XINJIANG_COTTON = {2019: 0.12, 2020: 0.1, 2021: 0.05, 2022: 0.03, 2023: 0.02, 2024: 0.015}
T = TypeVar("T")
COTTON_ORIGINS = (("US", 35), ("CN", 20), ("IN", 20), ("PK", 10), ("BR", 10), ("AU", 5))


@dataclass(frozen=True)
class Input:
    material: str
    hts: str
    origin_country: str
    origin_region: str | None
    producer: Maker | None


@dataclass(frozen=True)
class Line:
    product: Product
    country: str
    quantity: int
    value: Decimal
    maker: Maker
    production_date: date
    inputs: tuple[Input, ...]


@dataclass(frozen=True)
class Plan:
    index: int
    port: Port
    entry_at: datetime  # UTC
    lines: tuple[Line, ...]
    risk: str  # "none", "listed:<order id>:<variant>", "xinjiang_made", "xinjiang_input", "decoy"


def weighted(rng: Random, items: tuple[tuple[T, float], ...]) -> T:
    return rng.choices([item for item, _ in items], [weight for _, weight in items])[0]


def _after_uflpa(on: date) -> float:
    return 0.3 if on >= date(2022, 6, 21) else 1.0


def _cotton_input(rng: Random, seed: int, on: date, producer: Maker | None = None) -> Input:
    material, hts = rng.choice(
        (("cotton yarn", "5205.12"), ("cotton fabric", "5208.12"), ("raw cotton", "5201.00"))
    )
    if producer is not None:
        return Input(material, hts, "CN", None, producer)
    if rng.random() < XINJIANG_COTTON.get(on.year, 0.01):
        region = "CN-XJ" if rng.random() < 0.5 else None
        maker = rng.choice(xinjiang_pool(seed, "Cotton")) if rng.random() < 0.7 else None
        return Input(material, hts, "CN", region or (None if maker else "CN-XJ"), maker)
    origin = weighted(rng, COTTON_ORIGINS)
    return Input(material, hts, origin, None, None)


def _line(
    rng: Random,
    seed: int,
    category: Category,
    country: str,
    maker: Maker,
    on: date,
    product: Product | None = None,
) -> Line:
    product = product or rng.choice(products_in(category.name))
    quantity = max(1, int(rng.lognormvariate(6.0, 1.1)))
    price = rng.uniform(*product.unit_price)
    value = Decimal(f"{quantity * price:.2f}")
    made = on - timedelta(days=rng.randint(20, 90))
    inputs = (_cotton_input(rng, seed, on),) if category.cotton and rng.random() < 0.7 else ()
    return Line(product, country, quantity, value, maker, made, inputs)


def _maker(rng: Random, seed: int, category: Category, country: str, on: date) -> Maker:
    share = XINJIANG_MADE.get(category.name, 0.0) * _after_uflpa(on)
    if country == "CN" and rng.random() < share:
        return rng.choice(xinjiang_pool(seed, category.industry))
    return rng.choice(pool(seed, country, category.industry))


def _ordinary(rng: Random, seed: int, on: date) -> tuple[Line, ...]:
    category = weighted(rng, tuple((c, c.weight) for c in CATEGORIES))
    country = weighted(rng, category.origins)
    maker = _maker(rng, seed, category, country, on)
    count = weighted(rng, ((1, 60), (2, 25), (3, 10), (4, 5)))
    return tuple(_line(rng, seed, category, country, maker, on) for _ in range(count))


def _listed(rng: Random, seed: int, target: ListedTarget, on: date) -> tuple[Line, str]:
    filed, kind = variant(rng, target.name, target.aliases)
    product = rng.choice(target.products)
    category = CATEGORY_BY_NAME[product.category]
    producer = listed_maker(rng, target, filed)
    if category.cotton and rng.random() < 0.4:  # listed mill upstream of a garment made elsewhere
        country = rng.choice(("VN", "BD", "KH"))
        line = _line(
            rng, seed, category, country, rng.choice(pool(seed, country, "Garment")), on, product
        )
        line = replace(line, inputs=(_cotton_input(rng, seed, on, producer),))
        return line, f"listed:{target.order_id}:{kind}:upstream"
    country = producer.country
    line = _line(rng, seed, category, country, producer, on, product)
    return line, f"listed:{target.order_id}:{kind}"


def _risk_of(lines: tuple[Line, ...]) -> str:
    if any(line.maker.in_xinjiang for line in lines):
        return "xinjiang_made"
    if any(
        i.origin_region == "CN-XJ" or (i.producer and i.producer.in_xinjiang)
        for line in lines
        for i in line.inputs
    ):
        return "xinjiang_input"
    return "none"


def plan(
    rng: Random, seed: int, index: int, entry_at: datetime, targets: tuple[ListedTarget, ...]
) -> Plan:
    port = weighted(rng, tuple((p, p.weight) for p in PORTS))
    on = entry_at.date()
    roll = rng.random()
    if roll < LISTED_RATE and targets:
        target = rng.choices(targets, [t.activity(on) for t in targets])[0]
        line, risk = _listed(rng, seed, target, on)
        return Plan(index, port, entry_at, (line,), risk)
    if roll < LISTED_RATE + DECOY_RATE:
        decoy, category_name = rng.choice(DECOYS)
        category = CATEGORY_BY_NAME[category_name]
        return Plan(
            index, port, entry_at, (_line(rng, seed, category, decoy.country, decoy, on),), "decoy"
        )
    lines = _ordinary(rng, seed, on)
    return Plan(index, port, entry_at, lines, _risk_of(lines))
