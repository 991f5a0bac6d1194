"""The real listed entities of the seed, each with the goods it plausibly ships and its town."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from laborguard_contracts import Order, OrderKind
from laborguard_replay.generator.places import CITIES, XINJIANG, XINJIANG_BY_NAME, City
from laborguard_replay.generator.products import PRODUCTS, Product, products_in, products_under

# Keyword in the entity name or merchandise scope -> product category, for unscoped orders.
_KEYWORDS = (
    ("hair", "hair"),
    ("glove", "gloves"),
    ("textile", "apparel"),
    ("cotton", "yarn_fabric"),
    ("garment", "apparel"),
    ("apparel", "apparel"),
    ("fashion", "yarn_fabric"),
    ("wool", "yarn_fabric"),
    ("esquel", "apparel"),
    ("shoe", "footwear"),
    ("silicon", "silicon"),
    ("solar", "solar"),
    ("energy", "silicon"),
    ("tomato", "tomato"),
    ("food", "food"),
    ("sugar", "sugar"),
    ("magnesium", "magnesium"),
    ("copper", "copper"),
    ("aluminum", "aluminium"),
    ("nonferrous", "aluminium"),
    ("chemical", "chemicals"),
    ("meiling", "appliances"),
    ("camel", "batteries"),
    ("ninestar", "toner"),
    ("biotech", "food"),
    ("pharma", "food"),
    ("gold", "gold"),
    ("coal", "aluminium"),
    ("mining", "copper"),
    ("zinc", "copper"),
    ("palm", "palm_oil"),
    ("computer", "electronics"),
    ("zhonghe", "electronics"),
)


_YEAR = timedelta(days=365)


@dataclass(frozen=True)
class ListedTarget:
    order_id: str
    name: str
    aliases: tuple[str, ...]
    country: str
    in_xinjiang: bool
    city: City
    products: tuple[Product, ...]
    listed_on: date  # the order's first in-force date

    def activity(self, on: date) -> float:
        """Relative odds of shipping on a date: entities get listed around when they ship."""
        return 4.0 if self.listed_on - timedelta(days=730) <= on < self.listed_on + _YEAR else 1.0


def _products_for(order: Order, name: str) -> tuple[Product, ...]:
    if order.hts_prefixes:
        scoped = products_under(order.hts_prefixes)
        if scoped:
            return scoped
    text = f"{name} {order.merchandise_scope}".lower()
    for keyword, category in _KEYWORDS:
        if keyword in text:
            return products_in(category)
    return PRODUCTS


def _city_for(name: str, country: str, in_xinjiang: bool) -> City:
    pool = XINJIANG if in_xinjiang else CITIES.get(country, CITIES["CN"])
    for city in pool:
        if city.name in name:
            return city
    for spelled, city_name in (("Hetian", "Hotan"), ("Yili", "Yining"), ("Luopu", "Lop")):
        if spelled in name:
            return XINJIANG_BY_NAME[city_name]
    return XINJIANG_BY_NAME["Urumqi"] if in_xinjiang else pool[0]


def listed_targets(orders: tuple[Order, ...]) -> tuple[ListedTarget, ...]:
    """One target per distinct listed name; region orders name a region, not a producer."""
    seen: dict[str, ListedTarget] = {}
    for order in orders:
        if order.kind is OrderKind.REGION_ORDER:
            continue
        for entity in order.entities:
            country = (entity.country or "CN") if entity.region != "CN-HK" else "HK"
            in_xinjiang = entity.region == "CN-XJ"
            seen.setdefault(
                entity.name,
                ListedTarget(
                    order_id=order.order_id,
                    name=entity.name,
                    aliases=tuple(a for a in entity.aliases if len(a) > 4),
                    country=country,
                    in_xinjiang=in_xinjiang,
                    city=_city_for(entity.name, country, in_xinjiang),
                    products=_products_for(order, entity.name),
                    listed_on=order.timeline[0].effective,
                ),
            )
    return tuple(seen[name] for name in sorted(seen))
