"""Synthetic listed entities and shipments for the screening benchmarks (deterministic by seed).

Entity names are built like real Chinese company names (city + two-syllable brand + trade +
legal form), so they share generic words and city names the way real lists do; a third of them
carry an alias, a third a MID. Shipments have three lines and eight party names; party names
come from a pool of unlisted companies with a configurable share of listed names (exact, or with
a one-letter typo).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from laborguard_contracts import Order, ShipmentEvent


def _words(text: str) -> list[str]:
    return text.split()


SYLLABLES = _words(
    "an ang ao bai ban bang bao bei ben bi bian biao bin bo cai can cang cao ce chang chao che "
    "chen cheng chi chong chu chuan chun ci cong cui da dai dan dang dao de deng di dian ding "
    "dong dou du duan dui dun duo fa fan fang fei fen feng fu gai gan gang gao ge gen geng gong "
    "gu gua guan guang gui guo hai han hang hao he hei hen heng hong hou hu hua huai huan huang "
    "hui hun huo ji jia jian jiang jiao jie jin jing jiu ju juan jun kai kan kang ke kong kun "
    "lai lan lang lao le lei li lian liang lin ling liu long lu luo ma mai man mao mei men meng "
    "mi mian miao min ming mo mu na nan neng ning nuo ou pan pei peng ping pu qi qian qiang qiao "
    "qin qing qiu qu quan que ran rao ren rong ru rui run sai san sen sha shan shang shao shen "
    "sheng shi shou shu shun si song su sui sun tai tan tang tao teng tian tie ting tong tu tuo "
    "wan wang wei wen wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan "
    "yang yao ye yi yin ying yong you yu yuan yue yun zai zan zao ze zeng zhan zhang zhao zhe "
    "zhen zheng zhi zhong zhou zhu zhuang zhuo zi zong zu zun zuo"
)
CITIES = _words(
    "Shanghai Ningbo Suzhou Wuxi Dongguan Foshan Qingdao Xiamen Hangzhou Nanjing Tianjin Hefei "
    "Zhengzhou Chengdu Wuhan Changsha Jinan Dalian Shenzhen Guangzhou"
)
XUAR_CITIES = ("Urumqi", "Kashgar", "Aksu", "Hotan")
TRADES = _words(
    "Textile Garment Apparel Trading Electronics Solar Silicon Chemical Metal Food Plastic "
    "Machinery Knitting Hair Products Technology Industrial Logistics Materials Energy"
)
FORMS = ("Co., Ltd.", "Company Limited", "Co. Ltd", "Group Co., Ltd.", "Industrial Co., Ltd.")
# How many distinct companies fill each role in the traffic.
POOL_SIZES = {
    "importer": 2_000,
    "buyer": 2_000,
    "ship_to": 2_000,
    "consolidator": 200,
    "seller": 8_000,
    "manufacturer": 25_000,
}
HTS_CHOICES = ("61", "62", "52", "8541", "8471", "2804", "7601", "0702", "3926", "9503")


class Synthetic:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)

    def brand(self) -> str:
        return (self.rng.choice(SYLLABLES) + self.rng.choice(SYLLABLES)).capitalize()

    def company(self) -> str:
        rng = self.rng
        city = rng.choice(XUAR_CITIES) if rng.random() < 0.1 else rng.choice(CITIES)
        return f"{city} {self.brand()} {rng.choice(TRADES)} {rng.choice(FORMS)}"

    def mid(self, name: str) -> str:
        words = [w for w in name.split() if w.isalpha()][:2]
        digits = self.rng.randint(1, 9999)
        city = self.rng.choice(CITIES)[:3].upper()
        return f"CN{''.join(w[:3].upper() for w in words)}{digits}{city}"

    def orders(self, entities: int, prefix: str = "synthetic") -> list[Order]:
        orders: list[Order] = []
        made = 0
        while made < entities:
            size = min(self.rng.choice((1, 1, 1, 2, 3)), entities - made)
            orders.append(self.order(f"{prefix}-{len(orders):06d}", size))
            made += size
        return orders

    def order(self, order_id: str, size: int) -> Order:
        rng = self.rng
        entities = []
        for _ in range(size):
            name = self.company()
            entity: dict[str, Any] = {"name": name, "country": "CN"}
            if rng.random() < 0.33:
                entity["aliases"] = [f"{self.brand()} {rng.choice(TRADES)} {rng.choice(FORMS)}"]
            if rng.random() < 0.33:
                entity["mids"] = [self.mid(name)]
            entities.append(entity)
        start = date(2018, 1, 1) + timedelta(days=rng.randint(0, 2000))
        hts = None if rng.random() < 0.6 else sorted(rng.sample(HTS_CHOICES, 2))
        return Order.model_validate(
            {
                "order_id": order_id,
                "version": 1,
                "kind": "entity_list" if rng.random() < 0.7 else "wro",
                "title": f"Synthetic order {order_id}",
                "hts_prefixes": hts,
                "entities": entities,
                "timeline": [{"kind": "in_force", "effective": start.isoformat()}],
            }
        )

    def shipments(
        self, count: int, listed: list[str], *, unique: bool = False, listed_share: float = 0.01
    ) -> list[ShipmentEvent]:
        """Parties recur as in port traffic: few importers and forwarders, many factories, each
        role's companies drawn by a Zipf law.

        `unique` gives every party a name never seen before (the worst case for memoised
        look-ups). A share `listed_share` of sellers and manufacturers are listed names, half of
        them with a one-letter typo.
        """
        pools = {role: self.zipf_pool(size) for role, size in POOL_SIZES.items()}
        return [self.shipment(n, pools, listed, listed_share, unique) for n in range(count)]

    def zipf_pool(self, size: int) -> list[str]:
        """Companies repeated by a Zipf law (weight 1/rank): a few file most entries."""
        companies = [self.company() for _ in range(size)]
        weights = [1.0 / rank for rank in range(1, size + 1)]
        return self.rng.choices(companies, weights=weights, k=size * 20)

    def party_name(
        self, pool: list[str], listed: list[str], listed_share: float, unique: bool
    ) -> str:
        rng = self.rng
        if rng.random() >= listed_share:
            return self.company() if unique else rng.choice(pool)
        name = rng.choice(listed)
        if rng.random() < 0.5 and len(name) > 12:
            cut = rng.randint(1, len(name) - 2)
            name = name[:cut] + name[cut + 1 :]
        return name

    def address(self) -> dict[str, str]:
        """A Chinese factory address; about one in fifty lies in Xinjiang."""
        rng = self.rng
        if rng.random() < 0.02:
            return {"city": rng.choice(XUAR_CITIES), "postal_code": "830000", "country": "CN"}
        prefix = rng.choice(("10", "20", "21", "23", "26", "31", "36", "45", "51", "52"))
        return {"city": rng.choice(CITIES), "postal_code": f"{prefix}0000", "country": "CN"}

    def shipment(
        self,
        n: int,
        pools: dict[str, list[str]],
        listed: list[str],
        share: float,
        unique: bool,
    ) -> ShipmentEvent:
        rng = self.rng

        def name(role: str) -> str:
            listed_here = share if role in ("seller", "manufacturer") else 0.0
            return self.party_name(pools[role], listed, listed_here, unique)

        roles = ("seller", "buyer", "ship_to", "consolidator")
        lines = [
            {
                "line_number": k + 1,
                "hts_code": rng.choice(("6109100012", "8541430010", "8471300100", "9503000073")),
                "country_of_origin": "CN",
                "value_usd": "1250.00",
                "manufacturer": {"name": name("manufacturer"), "address": self.address()},
            }
            for k in range(3)
        ]
        return ShipmentEvent.model_validate(
            {
                "event_id": f"bench-{n}",
                "shipment_id": f"BEN{n:08d}",
                "event_type": "entry_filed",
                "event_time": datetime(2024, 5, 1, tzinfo=UTC) + timedelta(minutes=n),
                "port_code": "2704",
                "importer_of_record": {"name": name("importer")},
                "parties": [{"role": role, "name": name(role)} for role in roles],
                "lines": lines,
            }
        )


def listed_names(orders: list[Order]) -> list[str]:
    return [entity.name for order in orders for entity in order.entities]
