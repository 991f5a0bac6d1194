"""Build the labelled evaluation set of shipments on the real seed orders.

    .venv/bin/python tests/screening/build_eval_set.py

Writes `data/eval_set.jsonl` (one labelled case a line: case id, category, expected outcome,
expected order ids, optionally rules the evidence must show, and the shipment event) and
`data/eval_orders_overlay.jsonl` (version 2 of three seed orders with illustrative MIDs, because
the public record lists none; the evaluation applies it on top of the seed).

Labels come from how each case is built, never from running the engine. Where a case names a
listed entity, the expected orders are the orders listing that entity (hand-grouped below where
two orders list the same entity), kept when the order is in force on the shipment's date and its
HTS scope covers the line: a two-line rule (`_in_force`, `_in_scope`) that reads the seed's
timeline directly. Lifecycle subtleties (production-date cut-offs, exemptions) and every name,
region and near-miss case are labelled by hand.
"""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from laborguard_contracts import Order, TimelineEventKind
from laborguard_contracts.seed import load_seed

DATA = Path(__file__).resolve().parent / "data"
SEED = {order.order_id: order for order in load_seed()}
UFLPA_REGION = "region-2022-uflpa-xuar-presumption"
COTTON_REGION = "region-2021-xuar-cotton-tomato"
Json = dict[str, Any]
EntityRef = tuple[str, int]

# Orders that list the same entity (the names differ only in punctuation or which is the alias).
SAME_ENTITY: tuple[frozenset[EntityRef], ...] = (
    frozenset(
        {
            ("wro-2020-lop-county-hair-industrial-park", 0),
            ("uflpa-lop-county-hair-industrial-park", 0),
        }
    ),
    frozenset({("wro-2020-lop-county-no4-vsetc", 0), ("uflpa-no4-vsetc", 0)}),
    frozenset({("wro-2020-xpcc-cotton", 0), ("uflpa-xpcc", 0)}),
    frozenset({("wro-2021-hoshine-silicon", 1), ("uflpa-hoshine-silicon-shanshan", 0)}),
    frozenset({("wro-2020-yili-zhuowan-baoding-lyszd", 1), ("uflpa-baoding-lyszd", 0)}),
    frozenset({("wro-2020-top-glove", 0), ("finding-2021-top-glove", 0)}),
    frozenset({("wro-2020-sime-darby-palm-oil", 0), ("finding-2022-sime-darby", 0)}),
)
HTS_FOR_PREFIX = {
    "61": "6109100012",
    "62": "6205200020",
    "52": "5201001200",
    "60": "6006210000",
    "63": "6302100000",
}
# For orders covering any merchandise: a product the entity plausibly ships.
ANY_GOODS_HTS = ("8541430010", "7601103000", "6109100012", "2002905000", "3920990000")
OUT_OF_SCOPE_HTS = "9403600000"  # wooden furniture: in no order's HTS list

IMPORTER = {
    "name": "Harbor Light Retail Imports LLC",
    "address": {"city": "Long Beach", "country": "US"},
}
PARTIES = (
    {
        "role": "seller",
        "name": "Pacific Crest Sourcing Limited",
        "address": {"city": "Kowloon", "country": "HK"},
    },
    {
        "role": "buyer",
        "name": "Northwind Outfitters Inc.",
        "address": {"city": "Seattle", "country": "US"},
    },
    {
        "role": "ship_to",
        "name": "Evergreen Fulfilment Center LLC",
        "address": {"city": "Ontario", "country": "US"},
    },
    {
        "role": "consolidator",
        "name": "Blue Anchor Consolidation Services",
        "address": {"city": "Yantian", "country": "CN"},
    },
    {"role": "consignee", "name": "Northwind Outfitters Inc."},
)
CLEAN_MAKERS = (
    {
        "name": "Ningbo Brightsea Knitting Co., Ltd.",
        "address": {
            "city": "Ningbo",
            "province": "Zhejiang",
            "postal_code": "315000",
            "country": "CN",
        },
    },
    {
        "name": "Dongguan Everbright Toys Factory",
        "address": {
            "city": "Dongguan",
            "province": "Guangdong",
            "postal_code": "523000",
            "country": "CN",
        },
    },
    {
        "name": "Saigon Riverside Garment Joint Stock Company",
        "address": {"city": "Ho Chi Minh City", "country": "VN"},
    },
    {"name": "Dhaka Lotus Apparels Ltd.", "address": {"city": "Gazipur", "country": "BD"}},
    {
        "name": "Penang Precision Components Sdn. Bhd.",
        "address": {"city": "Bayan Lepas", "country": "MY"},
    },
    {
        "name": "Qingdao Harborview Foods Co., Ltd.",
        "address": {
            "city": "Qingdao",
            "province": "Shandong",
            "postal_code": "266000",
            "country": "CN",
        },
    },
    {
        "name": "Suzhou Clearwave Electronics Co., Ltd.",
        "address": {
            "city": "Suzhou",
            "province": "Jiangsu",
            "postal_code": "215000",
            "country": "CN",
        },
    },
    {"name": "Monterrey Auto Partes S.A.", "address": {"city": "Monterrey", "country": "MX"}},
    {"name": "Bursa Cotton Weaving A.S.", "address": {"city": "Bursa", "country": "TR"}},
    {"name": "Chennai Sunleaf Textiles Pvt. Ltd.", "address": {"city": "Chennai", "country": "IN"}},
    {
        "name": "Xiamen Goldcrest Footwear Co., Ltd.",
        "address": {
            "city": "Xiamen",
            "province": "Fujian",
            "postal_code": "361000",
            "country": "CN",
        },
    },
    {
        "name": "Shanghai Fairwind Home Textiles Co., Ltd.",
        "address": {"city": "Shanghai", "postal_code": "200120", "country": "CN"},
    },
)
CLEAN_HTS = (
    "6109100012",
    "8471300100",
    "9503000073",
    "6403990065",
    "8541430010",
    "2002905000",
    "6302100000",
    "8708295060",
)


class Builder:
    def __init__(self) -> None:
        self.cases: list[Json] = []

    def add(
        self,
        case_id: str,
        category: str,
        expected: set[str] | list[str],
        event: Json,
        rules: tuple[str, ...] = (),
    ) -> None:
        ordered = sorted(set(expected))
        case = {
            "case": f"{category}/{case_id}",
            "category": category,
            "expected_outcome": "DETAIN" if ordered else "RELEASE",
            "expected_orders": ordered,
            "expected_rules": list(rules),
            "event": {
                **event,
                "event_id": f"eval-{len(self.cases) + 1:04d}",
                "shipment_id": f"EVL{len(self.cases) + 1:08d}",
            },
        }
        self.cases.append(case)


def event(
    lines: list[Json],
    when: date,
    *,
    importer: Json = IMPORTER,
    parties: tuple[Json, ...] = PARTIES,
    hour: str = "T10:00:00+00:00",
) -> Json:
    return {
        "event_type": "entry_filed",
        "event_time": f"{when.isoformat()}{hour}",
        "port_code": "2704",
        "importer_of_record": importer,
        "parties": list(parties),
        "lines": lines,
    }


def line(
    maker: Json | str,
    hts: str,
    *,
    number: int = 1,
    country: str = "CN",
    produced: date | None = None,
    inputs: tuple[Json, ...] = (),
) -> Json:
    document: Json = {
        "line_number": number,
        "hts_code": hts,
        "description": "goods",
        "country_of_origin": country,
        "value_usd": f"{1000 + 37 * number}.00",
        "quantity": "100",
        "unit": "PCS",
        "manufacturer": {"name": maker} if isinstance(maker, str) else maker,
        "inputs": list(inputs),
    }
    if produced is not None:
        document["production_date"] = produced.isoformat()
    return document


# --- the label rule for cases that name a listed entity -------------------------------------


def _in_force(order: Order, day: date) -> bool:
    started = order.timeline[0].effective <= day
    revoked = any(
        e.kind is TimelineEventKind.REVOKED and e.effective <= day for e in order.timeline
    )
    return started and not revoked


def _in_scope(order: Order, hts: str) -> bool:
    return order.hts_prefixes is None or hts.startswith(order.hts_prefixes)


def same_entity(ref: EntityRef) -> frozenset[EntityRef]:
    return next((group for group in SAME_ENTITY if ref in group), frozenset({ref}))


def expected_for(ref: EntityRef, day: date, hts: str) -> set[str]:
    orders = (SEED[order_id] for order_id, _ in same_entity(ref))
    return {o.order_id for o in orders if _in_force(o, day) and _in_scope(o, hts)}


def start(order: Order) -> date:
    return order.timeline[0].effective


def hts_for(order: Order, n: int = 0) -> str:
    if order.hts_prefixes is None:
        return ANY_GOODS_HTS[n % len(ANY_GOODS_HTS)]
    prefix = order.hts_prefixes[0]
    return HTS_FOR_PREFIX.get(prefix, prefix.ljust(10, "0"))


def entity_refs() -> list[EntityRef]:
    return [
        (order.order_id, i)
        for order in SEED.values()
        if order.kind != "region_order"
        for i in range(len(order.entities))
    ]


def listed_case(
    b: Builder,
    category: str,
    case_id: str,
    ref: EntityRef,
    maker: Json | str,
    *,
    n: int = 0,
    rules: tuple[str, ...] = (),
) -> None:
    order = SEED[ref[0]]
    day = start(order) + timedelta(days=40)
    hts = hts_for(order, n)
    b.add(case_id, category, expected_for(ref, day, hts), event([line(maker, hts)], day), rules)


# --- categories ------------------------------------------------------------------------------


def exact_names(b: Builder) -> None:
    for n, ref in enumerate(entity_refs()):
        name = SEED[ref[0]].entities[ref[1]].name
        listed_case(b, "exact_name", f"{ref[0]}#{ref[1]}", ref, name, n=n, rules=("exact_name",))


def aliases(b: Builder) -> None:
    for n, ref in enumerate(entity_refs()):
        for k, alias in enumerate(SEED[ref[0]].entities[ref[1]].aliases):
            listed_case(b, "alias", f"{ref[0]}#{ref[1]}.{k}", ref, alias, n=n)


LEGAL_VARIANTS = (
    ("Co., Ltd.", "Company Limited"),
    ("Co., Ltd.", "CO.,LTD"),
    ("Co., Ltd.", "Co Ltd"),
    ("Co. Ltd.", "Company Ltd."),
    ("Co., Ltd", "Co. Limited"),
    ("Co. Ltd", "Company Limited"),
    ("Corporation", "Corp."),
    ("Sdn. Bhd.", "SDN BHD"),
    ("Bhd.", "Berhad"),
    ("Berhad", "Bhd"),
    ("(Group)", "Group"),
    ("Group", "(Group)"),
    ("Company, Limited", "Co., Ltd."),
)


def legal_forms(b: Builder) -> None:
    for n, ref in enumerate(entity_refs()):
        name = SEED[ref[0]].entities[ref[1]].name
        for old, new in LEGAL_VARIANTS:
            if old in name:
                variant = name.replace(old, new)
                variant = variant.upper() if n % 3 == 0 else variant
                listed_case(b, "legal_form", f"{ref[0]}#{ref[1]}", ref, variant, n=n)
                break


TYPOS: tuple[tuple[str, int, str], ...] = (
    ("wro-2019-hetian-taida-apparel", 0, "Hetian Tiada Apparel Co., Ltd."),
    ("wro-2020-hetian-haolin-hair", 0, "Hetian Haolni Hair Accessories Co., Ltd."),
    ("wro-2020-lop-county-meixin-hair", 0, "Lop County Meixn Hair Product Co. Ltd."),
    ("wro-2020-yili-zhuowan-baoding-lyszd", 0, "Yili Zhuowan Garmnet Manufacturing Co., Ltd."),
    ("wro-2020-yili-zhuowan-baoding-lyszd", 1, "Baoding LYSDZ Trade and Business Co., Ltd."),
    ("wro-2020-xinjiang-junggar-cotton-linen", 0, "Xinjiang Junggr Cotton and Linen Co., Ltd."),
    ("wro-2020-hefei-bitland", 0, "Hefei Bitlnad Information Technology Co., Ltd."),
    ("wro-2021-hoshine-silicon", 0, "Hoshnie Silicon Industry Co., Ltd."),
    ("wro-2021-hoshine-silicon", 1, "Hoshine Silicone Industry (Shanshan) Co., Ltd."),
    ("wro-2019-wrp-asia-pacific-gloves", 0, "WRP Asia Pacfic Sdn. Bhd."),
    ("wro-2020-sime-darby-palm-oil", 0, "Sime Darby Plantaton Berhad"),
    ("wro-2021-supermax-gloves", 0, "Supermx Corporation Bhd."),
    ("wro-2021-supermax-gloves", 2, "Maxter Glove Manufacturng Sdn. Bhd."),
    ("wro-2022-central-romana-sugar", 0, "Central Romona Corporation Limited"),
    ("wro-2024-shanghai-select-safety", 0, "Shanghai Select Safty Products Company, Limited"),
    ("wro-2016-tangshan-sanyou", 0, "Tangshan Sanyuo Group Co. Ltd."),
    ("uflpa-changji-esquel-textile", 0, "Changji Esquell Textile Co., Ltd."),
    ("uflpa-xinjiang-daqo", 0, "Xinjiang Daqo New Enrgy Co., Ltd."),
    ("uflpa-xinjiang-east-hope", 0, "Xinjiang East Hope Nonferous Metals Co., Ltd."),
    ("uflpa-xinjiang-gcl", 0, "Xinjiang GCL New Energy Materail Technology Co., Ltd."),
    ("uflpa-ninestar", 0, "Ninestarr Corporation"),
    ("uflpa-xinjiang-zhongtai-chemical", 0, "Xinjiang Zhongtia Chemical Co., Ltd."),
    ("uflpa-chenguang-biotech", 0, "Chenguan Biotech Group Co., Ltd."),
    ("uflpa-xinjiang-tianmian", 0, "Xinjiang Tianmain Foundation Textile Co., Ltd."),
    ("uflpa-sichuan-jingweida", 0, "Sichuan Jingwieda Technology Group Co., Ltd."),
    ("uflpa-anhui-xinya", 0, "Anhui Xinyaa New Materials Co., Ltd."),
    ("uflpa-dongguan-oasis-shoes", 0, "Dongguan Oasiss Shoes Co., Ltd."),
    ("uflpa-xinjiang-shenhuo", 0, "Xinjiang Shenhou Coal and Electricity Co., Ltd."),
    ("uflpa-ashele-copper", 0, "Xinjiang Habahe Ashle Copper Co., Ltd."),
    ("uflpa-xinjiang-tengxiang-magnesium", 0, "Xinjiang Tengxaing Magnesium Products Co., Ltd."),
    ("uflpa-inner-mongolia-qileyuan", 0, "Inner Mongolia Qileyaun Food Co., Ltd."),
    ("uflpa-donghai-ja-solar", 0, "Donghai JA Solar Technolgy Co., Ltd."),
    ("uflpa-jiangsu-meike-solar", 0, "Jiangsu Meikee Solar Technology Co., Ltd."),
    ("uflpa-shuangliang-silicon-baotou", 0, "Shuangliang Silcon Materials (Baotou) Co., Ltd."),
    ("uflpa-rare-earth-magnesium", 0, "Rare Earth Magnesium Technolgy Group Holdings, Ltd."),
    ("uflpa-dalian-sunspeed", 0, "Dalian Sunsped Foods Co., Ltd."),
    ("uflpa-tianjin-tianwei-food", 0, "Tianjin Tianwie Food Co., Ltd."),
)

ROMANISED: tuple[tuple[str, int, str], ...] = (
    ("wro-2019-hetian-taida-apparel", 0, "Hotan Taida Apparel Co., Ltd."),
    ("wro-2019-hetian-taida-apparel", 0, "Khotan Taida Apparel Company Limited"),
    ("wro-2020-hetian-haolin-hair", 0, "Hotan Haolin Hair Accessories Co., Ltd."),
    ("wro-2020-lop-county-meixin-hair", 0, "Luopu County Meixin Hair Product Co. Ltd."),
    (
        "wro-2020-lop-county-no4-vsetc",
        0,
        "Luopu County No. 4 Vocational Skills Education and Training Center",
    ),
    ("wro-2020-lop-county-hair-industrial-park", 0, "Luopu County Hair Product Industrial Park"),
    ("uflpa-lop-county-hair-industrial-park", 0, "Luopu County Hair Products Industrial Park"),
    ("wro-2020-yili-zhuowan-baoding-lyszd", 0, "Ili Zhuowan Garment Manufacturing Co., Ltd."),
    ("wro-2021-hoshine-silicon", 0, "Hesheng Silicon Industry Co., Ltd."),
    ("uflpa-hoshine-silicon-shanshan", 0, "Hesheng Silicon Industry (Shanshan) Co., Ltd."),
    ("uflpa-kashgar-construction", 0, "Kashi Construction Engineering (Group) Co., Ltd."),
    ("uflpa-turpan-esquel", 0, "Tulufan Esquel Textile Co., Ltd."),
    ("uflpa-turpan-esquel", 0, "Turfan Esquel Textile Co Ltd"),
)


def typos_and_romanisation(b: Builder) -> None:
    for n, (order_id, index, name) in enumerate(TYPOS):
        listed_case(
            b, "typo", f"{order_id}#{index}", (order_id, index), name, n=n, rules=("fuzzy_name",)
        )
    for n, (order_id, index, name) in enumerate(ROMANISED):
        listed_case(b, "romanisation", f"{order_id}#{index}.{n}", (order_id, index), name, n=n)


def native_script(b: Builder) -> None:
    xpcc_day, cotton = date(2021, 6, 1), "5201001200"
    xpcc = {"wro-2020-xpcc-cotton"}
    for n, maker in enumerate(
        (
            {"name": "新疆生产建设兵团"},
            {"name": "Corps Cotton Supply Station", "native_name": "新疆生产建设兵团"},
            {"name": "新疆兵团"},
            {"name": "兵团"},
            {
                "name": "Aral Cotton Ginning Branch",
                "native_name": "新疆生产建设兵团第一师阿拉尔市棉麻公司",
            },
            {"name": "中国新建集团公司"},
        )
    ):
        b.add(
            f"xpcc.{n}",
            "native_name",
            xpcc,
            event([line(maker, cotton)], xpcc_day),
            ("native_name",),
        )
    wool_day, wool = date(2024, 2, 1), "5111110000"
    tianshan = {"uflpa-xinjiang-tianshan-wool"}
    for n, native in enumerate(
        ("新疆天山毛纺织股份有限公司", "新疆天山毛纺织有限公司", "天山纺织")
    ):
        maker = {"name": "Tianshan Wool Mill" if n else native, "native_name": native}
        b.add(
            f"tianshan.{n}",
            "native_name",
            tianshan,
            event([line(maker, wool)], wool_day),
            ("native_name",),
        )
    for n, native in enumerate(
        ("天山纺织品进出口贸易有限公司", "新疆棉花贸易有限公司", "上海兵器装备贸易公司")
    ):
        maker = {"name": "Eastgate Trading Company", "native_name": native}
        b.add(f"near-miss.{n}", "native_name", set(), event([line(maker, wool)], wool_day))


MIDS = {
    "wro-2019-hetian-taida-apparel": "CNHETTAI8HOT",
    "wro-2020-hetian-haolin-hair": "CNHETHAO18HOT",
    "uflpa-xinjiang-daqo": "CNXINDAQ66SHI",
}


def mid_overlay() -> list[Order]:
    overlaid = []
    for order_id, mid in MIDS.items():
        document = SEED[order_id].model_dump(mode="json")
        document["version"] += 1
        document["entities"][0]["mids"] = [mid]
        document["notes"] = "Evaluation overlay: illustrative MID built by the 19 CFR 102 rule."
        overlaid.append(Order.model_validate(document))
    return overlaid


def mids(b: Builder) -> None:
    def maker(name: str, mid: str) -> Json:
        return {"name": name, "mid": mid, "address": {"country": "CN"}}

    cases: tuple[tuple[str, Json, str, date, set[str]], ...] = (
        (
            "taida",
            maker("HT Apparel Works", "CNHETTAI8HOT"),
            "6109100012",
            date(2020, 3, 1),
            {"wro-2019-hetian-taida-apparel"},
        ),
        (
            "haolin",
            maker("Haolin Accessories Export", "CNHETHAO18HOT"),
            "6704200000",
            date(2021, 2, 1),
            {"wro-2020-hetian-haolin-hair"},
        ),
        (
            "daqo",
            maker("Daqo Polysilicon Plant", "CNXINDAQ66SHI"),
            "2804619000",
            date(2023, 1, 10),
            {"uflpa-xinjiang-daqo"},
        ),
        (
            "taida-out-of-scope",
            maker("HT Apparel Works", "CNHETTAI8HOT"),
            "8471300100",
            date(2020, 3, 1),
            set(),
        ),
        (
            "city-part-hot-only",
            maker("Golden Harvest Silk Mill", "CNGOLHAR12HOT"),
            "5007200000",
            date(2023, 3, 1),
            set(),
        ),
        (
            "city-part-uru-only",
            maker("Bright Meadow Trading", "CNBRIMEA5URU"),
            "6109100012",
            date(2023, 3, 1),
            set(),
        ),
        (
            "city-part-kas-only",
            maker("Silver Lake Garments", "CNSILLAK77KAS"),
            "6205200020",
            date(2023, 3, 1),
            set(),
        ),
    )
    for case_id, manufacturer, hts, day, expected in cases:
        rules = ("mid",) if expected else ()
        b.add(case_id, "mid", expected, event([line(manufacturer, hts)], day), rules)
    producer = {
        "material": "polysilicon",
        "hts_code": "2804619000",
        "producer": {"name": "DQ Materials", "mid": "CNXINDAQ66SHI"},
    }
    solar = line(
        {"name": "Mekong Solar Module Co.", "address": {"city": "Bac Ninh", "country": "VN"}},
        "8541430010",
        country="VN",
        inputs=(producer,),
    )
    b.add(
        "daqo-upstream",
        "mid",
        {"uflpa-xinjiang-daqo"},
        event([solar], date(2023, 6, 1)),
        ("upstream_producer",),
    )


XJ_ADDRESSES: tuple[Json, ...] = (
    {
        "street": "No. 18 Beijing South Road",
        "city": "Urumqi",
        "postal_code": "830017",
        "country": "CN",
    },
    {"city": "Kashgar", "postal_code": "844801", "country": "CN"},
    {"city": "Artux", "postal_code": "845300", "country": "CN"},
    {"city": "Hetian", "province": "Xinjiang", "country": "CN"},
    {"street": "Weier Road Industrial Park", "postal_code": "843000", "country": "CN"},
    {"city": "Shihezi", "country": "CN"},
    {"city": "乌鲁木齐市", "province": "新疆维吾尔自治区", "country": "CN"},
    {"province": "Xinjiang Uygur Autonomous Region", "country": "CN"},
    {"region": "CN-XJ", "country": "CN"},
    {"city": "Korla", "postal_code": "841000"},
    {"city": "Luopu", "province": "Xinjiang", "postal_code": "848200", "country": "CN"},
    {"city": "Kashi", "country": "CN"},
)
XJ_MAKERS = (
    "Tianyuan Knitwear Factory",
    "Greenfield Agro Processing Co., Ltd.",
    "Goldstream Components Co.",
    "Redhill Home Textile Co., Ltd.",
)
REGION_TIMES: tuple[tuple[str, date, str, set[str]], ...] = (
    ("uflpa-cotton", date(2023, 5, 10), "6109100012", {UFLPA_REGION, COTTON_REGION}),
    ("uflpa-electronics", date(2023, 5, 10), "8471300100", {UFLPA_REGION}),
    ("cotton-order-only", date(2021, 8, 2), "6205200020", {COTTON_REGION}),
    ("before-uflpa-electronics", date(2021, 8, 2), "8471300100", set()),
    ("before-cotton-order", date(2020, 11, 2), "6109100012", set()),
    ("tomato-paste", date(2024, 1, 15), "2002905000", {UFLPA_REGION, COTTON_REGION}),
)


def regions(b: Builder) -> None:
    for n, address in enumerate(XJ_ADDRESSES):
        for k, (label, day, hts, expected) in enumerate(REGION_TIMES):
            if (n + k) % 2 and label not in ("uflpa-cotton", "cotton-order-only"):
                continue
            maker = {"name": XJ_MAKERS[(n + k) % len(XJ_MAKERS)], "address": address}
            b.add(f"address{n}.{label}", "region", expected, event([line(maker, hts)], day))
    day, hts = date(2023, 5, 10), "8471300100"
    for role in ("container_stuffing", "supplier"):
        party = {
            "role": role,
            "name": "Jade Gate Packing Station",
            "address": {"city": "Kashgar", "postal_code": "844000", "country": "CN"},
        }
        b.add(
            f"{role}-in-kashgar",
            "region",
            {UFLPA_REGION},
            event([line(CLEAN_MAKERS[0], hts)], day, parties=(*PARTIES, party)),
        )
    negatives = (
        (
            "shanghai-wulumuqi-road",
            {
                "street": "200 Wulumuqi Middle Road",
                "city": "Shanghai",
                "postal_code": "200040",
                "country": "CN",
            },
        ),
        (
            "shanghai-urumqi-north-road",
            {
                "street": "Urumqi North Road 88",
                "city": "Shanghai",
                "postal_code": "200031",
                "country": "CN",
            },
        ),
        (
            "us-zip-83702",
            {"city": "Boise", "province": "ID", "postal_code": "83702", "country": "US"},
        ),
        ("altay-mongolia", {"city": "Altay", "country": "MN"}),
        (
            "guangzhou",
            {
                "city": "Guangzhou",
                "province": "Guangdong",
                "postal_code": "510000",
                "country": "CN",
            },
        ),
        (
            "xinjiang-road-beijing",
            {
                "street": "Xinjiang Road 5",
                "city": "Beijing",
                "postal_code": "100000",
                "country": "CN",
            },
        ),
    )
    for case_id, address in negatives:
        maker = {"name": "Riverbend Garment Co., Ltd.", "address": address}
        b.add(case_id, "region", set(), event([line(maker, "6109100012")], day))
    for role in ("seller", "consolidator", "buyer"):
        party = {
            "role": role,
            "name": "Silk Road Commerce Hub",
            "address": {"city": "Urumqi", "postal_code": "830000", "country": "CN"},
        }
        b.add(
            f"{role}-in-urumqi-is-not-production",
            "region",
            set(),
            event([line(CLEAN_MAKERS[0], hts)], day, parties=(party,)),
        )
    importer = {
        "name": "Western Frontier Imports LLC",
        "address": {"city": "Urumqi", "country": "CN"},
    }
    b.add(
        "importer-in-urumqi-is-not-production",
        "region",
        set(),
        event([line(CLEAN_MAKERS[1], hts)], day, importer=importer),
    )


def _yarn(**fields: Any) -> Json:
    return {"material": "cotton yarn", "hts_code": "5205110000", "origin_country": "CN", **fields}


def upstream(b: Builder) -> None:
    vn = {
        "name": "Saigon Riverside Garment Joint Stock Company",
        "address": {"city": "Ho Chi Minh City", "country": "VN"},
    }
    xj_yarn = _yarn(origin_region="CN-XJ")
    for label, day, expected in (
        ("2023", date(2023, 3, 1), {UFLPA_REGION, COTTON_REGION}),
        ("2021", date(2021, 9, 1), {COTTON_REGION}),
        ("2020", date(2020, 10, 1), set()),
    ):
        rules = ("upstream_origin",) if expected else ()
        b.add(
            f"xj-cotton-in-vietnamese-shirt-{label}",
            "upstream",
            expected,
            event([line(vn, "6109100012", country="VN", inputs=(xj_yarn,))], day),
            rules,
        )
    xpcc_yarn = _yarn(producer={"name": "Xinjiang Production and Construction Corps"})
    b.add(
        "xpcc-yarn-2021",
        "upstream",
        {"wro-2020-xpcc-cotton"},
        event([line(vn, "6109100012", country="VN", inputs=(xpcc_yarn,))], date(2021, 6, 1)),
        ("upstream_producer",),
    )
    b.add(
        "xpcc-yarn-2023",
        "upstream",
        {"wro-2020-xpcc-cotton", "uflpa-xpcc"},
        event([line(vn, "6109100012", country="VN", inputs=(xpcc_yarn,))], date(2023, 6, 1)),
        ("upstream_producer",),
    )
    aksu_yarn = _yarn(
        producer={
            "name": "Jade River Ginning Co.",
            "address": {"city": "Aksu", "postal_code": "843000", "country": "CN"},
        }
    )
    b.add(
        "aksu-ginner-2023",
        "upstream",
        {UFLPA_REGION, COTTON_REGION},
        event([line(vn, "6205200020", country="VN", inputs=(aksu_yarn,))], date(2023, 6, 1)),
    )
    my_solar = {
        "name": "Kuching Solar Module Sdn. Bhd.",
        "address": {"city": "Kuching", "country": "MY"},
    }
    for label, producer, day, expected in (
        (
            "hoshine-2022",
            "Hoshine Silicon Industry Co., Ltd.",
            date(2022, 1, 10),
            {"wro-2021-hoshine-silicon"},
        ),
        (
            "hoshine-2023",
            "Hoshine Silicon Industry Co., Ltd.",
            date(2023, 1, 10),
            {"wro-2021-hoshine-silicon"},
        ),
        (
            "hoshine-shanshan-2023",
            "Hoshine Silicon Industry (Shanshan) Co., Ltd",
            date(2023, 1, 10),
            {"wro-2021-hoshine-silicon", "uflpa-hoshine-silicon-shanshan"},
        ),
        (
            "daqo-2023",
            "Xinjiang Daqo New Energy Co., Ltd.",
            date(2023, 1, 10),
            {"uflpa-xinjiang-daqo"},
        ),
        ("daqo-2021", "Xinjiang Daqo New Energy Co., Ltd.", date(2021, 1, 10), set()),
    ):
        silicon = {
            "material": "polysilicon",
            "hts_code": "2804619000",
            "origin_country": "CN",
            "producer": {"name": producer},
        }
        b.add(
            label,
            "upstream",
            expected,
            event([line(my_solar, "8541430010", country="MY", inputs=(silicon,))], day),
        )
    it = {"name": "Parma Valley Conserve S.p.A.", "address": {"city": "Parma", "country": "IT"}}
    paste = {
        "material": "tomato paste",
        "hts_code": "2002905000",
        "origin_country": "CN",
        "origin_region": "CN-XJ",
    }
    b.add(
        "xj-tomato-in-italian-ketchup-2021",
        "upstream",
        {COTTON_REGION},
        event([line(it, "2103204000", country="IT", inputs=(paste,))], date(2021, 6, 1)),
    )
    b.add(
        "xj-tomato-in-italian-ketchup-2023",
        "upstream",
        {COTTON_REGION, UFLPA_REGION},
        event([line(it, "2103204000", country="IT", inputs=(paste,))], date(2023, 6, 1)),
    )
    mx = {"name": "Monterrey Auto Partes S.A.", "address": {"city": "Monterrey", "country": "MX"}}
    raw_cotton = {
        "material": "raw cotton",
        "hts_code": "5201001200",
        "origin_country": "CN",
        "origin_region": "CN-XJ",
    }
    b.add(
        "xj-cotton-in-car-seat-2021",
        "upstream",
        {COTTON_REGION},
        event([line(mx, "9401200000", country="MX", inputs=(raw_cotton,))], date(2021, 6, 1)),
    )
    b.add(
        "xj-cotton-in-car-seat-2023",
        "upstream",
        {COTTON_REGION, UFLPA_REGION},
        event([line(mx, "9401200000", country="MX", inputs=(raw_cotton,))], date(2023, 6, 1)),
    )
    henan = {
        "material": "raw cotton",
        "hts_code": "5201001200",
        "origin_country": "CN",
        "producer": {
            "name": "Zhoukou Plains Cotton Co.",
            "address": {
                "city": "Zhoukou",
                "province": "Henan",
                "postal_code": "466000",
                "country": "CN",
            },
        },
    }
    b.add(
        "henan-cotton-in-car-seat",
        "upstream",
        set(),
        event([line(mx, "9401200000", country="MX", inputs=(henan,))], date(2023, 6, 1)),
    )
    gd = {
        "material": "polyester yarn",
        "hts_code": "5402330000",
        "origin_country": "CN",
        "origin_region": "CN-GD",
    }
    b.add(
        "guangdong-yarn",
        "upstream",
        set(),
        event([line(vn, "6109100012", country="VN", inputs=(gd,))], date(2023, 6, 1)),
    )
    aluminium = {
        "material": "aluminium ingot",
        "hts_code": "7601103000",
        "origin_country": "CN",
        "producer": {"name": "Xinjiang East Hope Nonferrous Metals Co., Ltd."},
    }
    b.add(
        "east-hope-aluminium-in-auto-part",
        "upstream",
        {"uflpa-xinjiang-east-hope"},
        event([line(mx, "8708295060", country="MX", inputs=(aluminium,))], date(2023, 6, 1)),
        ("upstream_producer",),
    )
    generic = _yarn(producer={"name": "Xinjiang Cotton Group Co., Ltd."})
    b.add(
        "generic-xinjiang-producer-name-only",
        "upstream",
        set(),
        event([line(vn, "6109100012", country="VN", inputs=(generic,))], date(2023, 6, 1)),
    )


def scope_and_dates(b: Builder) -> None:
    for n, ref in enumerate(entity_refs()):
        order = SEED[ref[0]]
        name = order.entities[ref[1]].name
        hts = hts_for(order, n)
        if order.hts_prefixes is not None:
            day = start(order) + timedelta(days=40)
            b.add(
                f"{ref[0]}#{ref[1]}",
                "out_of_scope_hts",
                expected_for(ref, day, OUT_OF_SCOPE_HTS),
                event([line(name, OUT_OF_SCOPE_HTS)], day),
            )
        before = start(order) - timedelta(days=30)
        b.add(
            f"{ref[0]}#{ref[1]}.before",
            "dates",
            expected_for(ref, before, hts),
            event([line(name, hts)], before),
        )
        on_day = start(order)
        if n % 4 == 0:
            b.add(
                f"{ref[0]}#{ref[1]}.first-day",
                "dates",
                expected_for(ref, on_day, hts),
                event([line(name, hts)], on_day),
            )
        for step in order.timeline:
            if step.kind is TimelineEventKind.REVOKED and step.produced_after is None:
                for label, day in (
                    ("revocation-day", step.effective),
                    ("after-revocation", step.effective + timedelta(days=20)),
                ):
                    b.add(
                        f"{ref[0]}#{ref[1]}.{label}",
                        "dates",
                        expected_for(ref, day, hts),
                        event([line(name, hts)], day),
                    )


def production_dates(b: Builder) -> None:
    wrp, gloves = "wro-2019-wrp-asia-pacific-gloves", "4015190510"
    name = "WRP Asia Pacific Sdn. Bhd."
    for label, day, produced, covered in (
        ("before-revocation-any-production", date(2020, 1, 15), None, True),
        (
            "before-revocation-effective-made-after-cutoff",
            date(2020, 3, 20),
            date(2020, 3, 18),
            True,
        ),
        ("after-revocation-made-before-cutoff", date(2020, 4, 15), date(2020, 3, 10), True),
        ("after-revocation-made-on-cutoff", date(2020, 4, 15), date(2020, 3, 16), True),
        ("after-revocation-made-after-cutoff", date(2020, 4, 15), date(2020, 3, 17), False),
        ("after-revocation-no-production-date", date(2020, 4, 15), None, False),
        ("years-later-old-stock", date(2021, 8, 1), date(2020, 2, 1), True),
    ):
        b.add(
            label,
            "production_date",
            {wrp} if covered else set(),
            event([line(name, gloves, produced=produced)], day),
        )


def exemptions(b: Builder) -> None:
    drc, gold = "wro-2019-drc-artisanal-gold", "7108121020"
    mines = {
        "name": "Artisanal Small Mines (eastern Democratic Republic of the Congo)",
        "address": {"city": "Bukavu", "country": "CD"},
    }

    def seller(name: str) -> Json:
        return {"role": "seller", "name": name, "address": {"city": "Kinshasa", "country": "CD"}}

    for label, day, parties, importer, covered in (
        (
            "chambers-seller-before-exemption",
            date(2020, 1, 15),
            (seller("Chambers Federation"),),
            IMPORTER,
            True,
        ),
        (
            "chambers-seller-after-exemption",
            date(2020, 7, 1),
            (seller("Chambers Federation"),),
            IMPORTER,
            False,
        ),
        (
            "chambers-seller-on-exemption-day",
            date(2020, 5, 28),
            (seller("Chambers Federation"),),
            IMPORTER,
            False,
        ),
        (
            "other-seller-after-exemption",
            date(2020, 7, 1),
            (seller("Great Lakes Gold Traders SARL"),),
            IMPORTER,
            True,
        ),
        (
            "chambers-importer-legal-form",
            date(2021, 3, 1),
            PARTIES,
            {"name": "CHAMBERS FEDERATION LIMITED"},
            False,
        ),
        (
            "chambers-stuffing-sarl",
            date(2021, 3, 1),
            ({"role": "container_stuffing", "name": "Chambers Federation SARL"},),
            IMPORTER,
            False,
        ),
    ):
        b.add(
            label,
            "exemption",
            {drc} if covered else set(),
            event([line(mines, gold, country="CD")], day, parties=parties, importer=importer),
        )
    maker = {"name": "Chambers Federation", "address": {"city": "Bukavu", "country": "CD"}}
    b.add(
        "chambers-as-manufacturer-is-not-listed",
        "exemption",
        set(),
        event([line(maker, gold, country="CD")], date(2021, 3, 1)),
    )


ROLE_REFS: tuple[tuple[str, EntityRef], ...] = (
    ("seller", ("wro-2019-hetian-taida-apparel", 0)),
    ("seller", ("uflpa-xinjiang-zhongtai-chemical", 0)),
    ("supplier", ("wro-2020-lop-county-meixin-hair", 0)),
    ("container_stuffing", ("uflpa-lop-county-hair-industrial-park", 0)),
    ("consolidator", ("uflpa-fujian-minlong", 0)),
    ("ship_to", ("uflpa-ninestar", 0)),
    ("buyer", ("uflpa-camel-group", 0)),
    ("seller", ("wro-2021-brightway-gloves", 0)),
    ("consignee", ("uflpa-hefei-meiling", 0)),
    ("seller", ("finding-2022-sime-darby", 0)),
)


def party_roles(b: Builder) -> None:
    for n, (role, ref) in enumerate(ROLE_REFS):
        order = SEED[ref[0]]
        day, hts = start(order) + timedelta(days=40), hts_for(order, n)
        party = {"role": role, "name": order.entities[ref[1]].name}
        b.add(
            f"{role}.{ref[0]}",
            "party_role",
            expected_for(ref, day, hts),
            event([line(CLEAN_MAKERS[n % 5], hts)], day, parties=(*PARTIES[:2], party)),
        )
    for n, ref in enumerate(
        (("uflpa-xinjiang-gcl", 0), ("uflpa-ninestar", 0), ("uflpa-hefei-meiling", 0))
    ):
        order = SEED[ref[0]]
        day, hts = start(order) + timedelta(days=40), hts_for(order, n)
        importer = {
            "name": order.entities[ref[1]].aliases[0]
            if order.entities[ref[1]].aliases
            else order.entities[ref[1]].name
        }
        b.add(
            f"importer.{ref[0]}",
            "party_role",
            expected_for(ref, day, hts),
            event([line(CLEAN_MAKERS[n], hts)], day, importer=importer),
        )


def multi_line(b: Builder) -> None:
    refs = entity_refs()
    for n in range(14):
        ref = refs[(n * 7) % len(refs)]
        order = SEED[ref[0]]
        day, hts = start(order) + timedelta(days=40), hts_for(order, n)
        listed_line = line(order.entities[ref[1]].name, hts, number=2)
        lines = [
            line(CLEAN_MAKERS[n % 12], CLEAN_HTS[n % 8], number=1),
            listed_line,
            line(CLEAN_MAKERS[(n + 5) % 12], CLEAN_HTS[(n + 3) % 8], number=3),
        ]
        b.add(
            f"listed-second-line.{ref[0]}",
            "multi_line",
            expected_for(ref, day, hts),
            event(lines, day),
        )
    hair = "Hetian Haolin Hair Accessories Co., Ltd."
    lines = [line(hair, "6109100012", number=1), line(CLEAN_MAKERS[2], "6704200000", number=2)]
    b.add(
        "listed-maker-only-on-out-of-scope-line",
        "multi_line",
        set(),
        event(lines, date(2021, 3, 1)),
    )


NEAR_MISSES: tuple[tuple[str, str], ...] = (
    ("Xinjiang Cotton Textile Co., Ltd.", "6109100012"),
    ("Xinjiang Cotton Trading Company", "5201001200"),
    ("China Cotton Import and Export Corp.", "5201001200"),
    ("Hetian Textile Trading Co., Ltd.", "6109100012"),
    ("Lop County Garment Factory", "6109100012"),
    ("Lop County Hair Salon Supplies Co.", "6704200000"),
    ("Xinjiang Tianshan Cotton Textile Co., Ltd.", "6109100012"),
    ("Xinjiang Zhongtai Securities Co., Ltd.", "2815110000"),
    ("Western Digital Technologies Inc.", "8471300100"),
    ("Camel Trading Co., Ltd.", "8507100000"),
    ("Meiling Textile Co., Ltd.", "6109100012"),
    ("Haolin Electronics Co., Ltd.", "6704200000"),
    ("Meixin Cosmetics Trading Co.", "6704200000"),
    ("Top Quality Glove Sdn. Bhd.", "4015190510"),
    ("Supermart Glove Trading Sdn. Bhd.", "4015190510"),
    ("Brightway Logistics Sdn. Bhd.", "4015190510"),
    ("FGV Trading Company", "1511100000"),
    ("Sime Darby Motors Sdn. Bhd.", "1511100000"),
    ("Central Romana Tours S.A.", "1701130000"),
    ("Shanghai Select Foods Co., Ltd.", "6116100000"),
    ("Tangshan Sanyo Electric Co., Ltd.", "2836200000"),
    ("Esquel Trading Limited", "6109100012"),
    ("Daqo Trading Co.", "2804619000"),
    ("GCL System Integration Technology Co., Ltd.", "8541430010"),
    ("East Hope Group Co., Ltd.", "7601103000"),
    ("Zhonghe Trading Co., Ltd.", "8471300100"),
    ("Ninestar Logistics Ltd.", "8443990000"),
    ("Jingwei Textile Machinery Co., Ltd.", "8445110000"),
    ("Oasis Footwear Trading Ltd.", "6403990065"),
    ("Meijia Textile Co., Ltd.", "6109100012"),
    ("Huafu Electronics Co., Ltd.", "8471300100"),
    ("Century Sunrise Group Holdings Ltd.", "8104190000"),
    ("Rare Earth Trading Co.", "8104190000"),
    ("Chenguang Textile Co., Ltd.", "6109100012"),
    ("Golden Camel Group Co., Ltd.", "8507100000"),
    ("Union Pacific Trading Co.", "2103204000"),
    ("Hongyuan Trading Co., Ltd.", "8541430010"),
    ("JA Solar Technology Co., Ltd.", "8541430010"),
    ("Meike Solar Power Co.", "8541430010"),
    ("Shuangliang Eco-Energy Systems Co., Ltd.", "8419890000"),
    ("Xinjiang Energy Holdings International Ltd.", "2701120000"),
    ("Xinjiang Cotton Group Co., Ltd.", "5201001200"),
    ("Kashgar Textile Co., Ltd.", "6109100012"),
    ("Hotan Jade Carving Trading Co.", "7103100000"),
    ("Artisanal Gold Council", "7108121020"),
    ("Select Safety Gloves Inc.", "4015190510"),
    ("Xinjiang Silk Road Trading Group", "6109100012"),
    ("Cotton and Linen Trading Co., Ltd.", "5309110000"),
    ("Heze Cotton and Linen Textile Co., Ltd.", "5309110000"),
    ("Tianwei Solar Films Co., Ltd.", "8541430010"),
)


def near_misses(b: Builder) -> None:
    day = date(2024, 12, 2)
    for n, (name, hts) in enumerate(NEAR_MISSES):
        maker = (
            {
                "name": name,
                "address": {"city": "Shanghai", "postal_code": "200120", "country": "CN"},
            }
            if n % 2
            else name
        )
        b.add(f"{n:02d}", "near_miss", set(), event([line(maker, hts)], day))


def clean(b: Builder) -> None:
    day = date(2022, 1, 3)
    for n in range(40):
        lines = [
            line(CLEAN_MAKERS[(n + k) % 12], CLEAN_HTS[(n * 3 + k) % 8], number=k + 1)
            for k in range(3)
        ]
        b.add(
            f"{n:02d}",
            "clean",
            set(),
            event(lines, day + timedelta(days=23 * n), hour="T14:30:00-07:00"),
        )


# --- spellings as real filings write them (issue 11) ----------------------------------------

# (category, order id, entity index, filed name): each a spelling of the listed name.
VARIANTS: tuple[tuple[str, str, int, str], ...] = (
    # legal forms written another way, spelt out or in another language
    (
        "legal_form",
        "wro-2019-hetian-taida-apparel",
        0,
        "Hetian Taida Apparel Limited Liability Company",
    ),
    ("legal_form", "wro-2019-wrp-asia-pacific-gloves", 0, "WRP Asia Pacific Sendirian Berhad"),
    ("legal_form", "wro-2020-top-glove", 0, "Top Glove Corporation Berhad"),
    ("legal_form", "uflpa-ninestar", 0, "Ninestar Corp."),
    ("legal_form", "uflpa-xinjiang-daqo", 0, "Xinjiang Daqo New Energy Company Limited"),
    ("legal_form", "uflpa-huafu-fashion", 0, "Huafu Fashion Co., Ltd."),
    ("legal_form", "uflpa-century-sunshine", 0, "Century Sunshine Group Holdings Limited"),
    ("legal_form", "uflpa-camel-group", 0, "Camel Group Company Limited"),
    ("legal_form", "wro-2022-central-romana-sugar", 0, "Central Romana Corporation Ltd."),
    (
        "legal_form",
        "uflpa-xinjiang-zhongtai-chemical",
        0,
        "Xinjiang Zhongtai Chemical Joint Stock Co., Ltd.",
    ),
    # dotted and spaced acronyms
    ("acronym", "wro-2019-wrp-asia-pacific-gloves", 0, "W.R.P. Asia Pacific Sdn. Bhd."),
    ("acronym", "wro-2019-wrp-asia-pacific-gloves", 0, "W R P Asia Pacific Sdn Bhd"),
    (
        "acronym",
        "uflpa-xinjiang-gcl",
        0,
        "Xinjiang G.C.L. New Energy Material Technology Co., Ltd.",
    ),
    ("acronym", "uflpa-donghai-ja-solar", 0, "Donghai J.A. Solar Technology Co., Ltd."),
    ("acronym", "uflpa-cofco-sugar", 0, "C.O.F.C.O. Sugar Holding Co. Ltd."),
    ("acronym", "wro-2020-fgv-holdings-palm-oil", 0, "F.G.V. Holdings Berhad"),
    (
        "acronym",
        "wro-2020-yili-zhuowan-baoding-lyszd",
        1,
        "Baoding L.Y.S.Z.D. Trade and Business Co., Ltd.",
    ),
    # accents, tone marks, case and full-width forms
    ("accents", "wro-2019-hetian-taida-apparel", 0, "Hétian Taïda Apparel Co., Ltd."),
    ("accents", "uflpa-xinjiang-zhongtai-chemical", 0, "Xīnjiāng Zhōngtài Chemical Co., Ltd."),
    ("accents", "uflpa-xinjiang-tianshan-wool", 0, "Xīnjiāng Tiānshān Wool Textile Co. Ltd."),
    ("accents", "wro-2022-central-romana-sugar", 0, "Central Romána Corporation Limited"),
    ("accents", "wro-2020-top-glove", 0, "ＴＯＰ ＧＬＯＶＥ Corporation Bhd"),
    ("accents", "uflpa-anhui-xinya", 0, "ANHUI XĪNYǍ NEW MATERIALS CO., LTD."),
    # numbers as words or digits, ordinals
    (
        "numbers",
        "wro-2020-lop-county-no4-vsetc",
        0,
        "Lop County No. Four Vocational Skills Education and Training Center",
    ),
    (
        "numbers",
        "wro-2020-lop-county-no4-vsetc",
        0,
        "Lop County No.4 Vocational Skills Education and Training Centre",
    ),
    ("numbers", "uflpa-no4-vsetc", 0, "No. Four Vocation Skills Education Training Center (VSETC)"),
    ("numbers", "uflpa-no4-vsetc", 0, "No 4 Vocation Skills Education Training Center VSETC"),
    ("numbers", "uflpa-ninestar", 0, "Nine Star Corporation"),
    # words joined or split
    ("joined_split", "uflpa-dalian-sunspeed", 0, "Dalian Sun Speed Foods Co., Ltd."),
    ("joined_split", "wro-2021-supermax-gloves", 0, "Super Max Corporation Bhd."),
    ("joined_split", "wro-2021-brightway-gloves", 0, "Bright Way Group"),
    ("joined_split", "uflpa-xinjiang-tianshan-wool", 0, "Xinjiang Tian Shan Wool Textile Co. Ltd."),
    (
        "joined_split",
        "uflpa-xinjiang-zhongtai-chemical",
        0,
        "Xinjiang Zhong Tai Chemical Co., Ltd.",
    ),
    ("joined_split", "uflpa-hongyuan-green-energy", 0, "Hong Yuan Green Energy Co., Ltd."),
    ("joined_split", "uflpa-hunan-nanmo", 0, "Hunan Nanmo Bio Technology Co., Ltd."),
    # apostrophes and hyphens
    ("punctuation", "uflpa-sichuan-yuanan-pharma", 0, "Sichuan Yuan'an Pharmaceutical Co., Ltd."),
    ("punctuation", "uflpa-sichuan-yuanan-pharma", 0, "Sichuan Yuanan Pharmaceutical Co., Ltd."),
    ("punctuation", "uflpa-sichuan-yuanan-pharma", 0, "Sichuan Yuan-an Pharmaceutical Co., Ltd."),
    ("punctuation", "uflpa-xinjiang-tianshan-wool", 0, "Xinjiang Tian-Shan Wool Textile Co. Ltd."),
    ("punctuation", "wro-2020-sime-darby-palm-oil", 0, "Sime-Darby Plantation Berhad"),
    ("punctuation", "uflpa-chenguang-biotech", 0, "Chen'guang Biotech Group Co., Ltd."),
    ("punctuation", "uflpa-donghai-ja-solar", 0, "Donghai JA-Solar Technology Co., Ltd."),
    # typos in short names and in names of generic words
    ("typo", "uflpa-camel-group", 0, "Camle Group Co., Ltd."),
    ("typo", "uflpa-esquel-group", 0, "Esqeul Group"),
    ("typo", "uflpa-huafu-fashion", 0, "Huafo Fashion"),
    ("typo", "uflpa-hebei-suguo", 0, "Hebei Sugou International Trade Co., Ltd."),
    ("typo", "uflpa-xinjiang-shenhuo", 0, "Xinjiang Shenhuo Coal and Electrcity Co., Ltd."),
    (
        "typo",
        "wro-2020-lop-county-hair-industrial-park",
        0,
        "Lop County Hair Product Industrial Prak",
    ),
    ("typo", "wro-2020-xpcc-cotton", 0, "Xinjiang Production and Constructon Corps"),
    (
        "typo",
        "uflpa-heze-cotton-linen-trade-dev",
        0,
        "Heze Cotton and Linen Economic and Trade Developmnet Corporation",
    ),
    (
        "typo",
        "uflpa-china-cotton-henan-xinye",
        0,
        "China Cotton Group Henan Logistics Prak Co., Ltd., Xinye Branch",
    ),
    (
        "typo",
        "uflpa-xinjiang-nonferrous-metals-group",
        0,
        "Xinjiang Nonferrous Metals Industrail Group Co., Ltd.",
    ),
)

# A region as filed: every spelling of Xinjiang; elsewhere and unknown regions stay clear.
REGION_SPELLINGS: tuple[tuple[Json, bool], ...] = (
    ({"region": "Xinjiang", "country": "CN"}, True),
    ({"region": "XUAR"}, True),
    ({"region": "Xinjiang Uygur Autonomous Region", "country": "CN"}, True),
    ({"region": "Xinjiang Uyghur Autonomous Region"}, True),
    ({"region": "新疆维吾尔自治区"}, True),
    ({"region": "CN-65", "country": "CN"}, True),
    ({"region": "Sinkiang"}, True),
    ({"region": "East Turkestan"}, True),
    ({"region": "Hotan Prefecture", "country": "CN"}, True),  # not a subdivision: a place in it
    ({"city": "Ürümqi", "country": "CN"}, True),
    ({"city": "Wulu Muqi", "country": "CN"}, True),
    ({"city": "KASHI", "country": "CN"}, True),
    ({"region": "Guangdong Province", "country": "CN"}, False),
    ({"region": "Atlantis"}, False),
    ({"region": "Bayern", "country": "DE"}, False),
)
ORIGIN_SPELLINGS: tuple[tuple[str, bool], ...] = (
    ("Xinjiang", True),
    ("XUAR", True),
    ("Xinjiang Uygur Autonomous Region", True),
    ("新疆", True),
    ("Sinkiang", True),
    ("CN-65", True),
    ("cn-xj", True),
    ("Hotan", True),
    ("Guangdong", False),
    ("Atlantis", False),
)
NEAR_VARIANTS: tuple[str, ...] = (
    "Lop County No. 5 Vocational Skills Education and Training Center",  # another number
    "Hotan County Hair Product Industrial Park",  # another place, generic words otherwise
    "Xinjiang Production and Construction Group",  # a generic word changed, not misspelt
    "Camel Glove Co., Ltd.",  # a listed short name beside another word
)


def variants(b: Builder) -> None:
    for n, (category, order_id, index, name) in enumerate(VARIANTS):
        listed_case(b, category, f"{order_id}#{index}.{n}", (order_id, index), name, n=n)
    day, hts = date(2023, 5, 10), "8471300100"
    for n, (address, xinjiang) in enumerate(REGION_SPELLINGS):
        maker = {"name": CLEAN_MAKERS[n % len(CLEAN_MAKERS)]["name"], "address": address}
        expected = {UFLPA_REGION} if xinjiang else set()
        b.add(f"spelling{n:02d}", "region_spelling", expected, event([line(maker, hts)], day))
    vn = {"name": "Saigon Riverside Garment Joint Stock Company", "address": {"country": "VN"}}
    for n, (origin, xinjiang) in enumerate(ORIGIN_SPELLINGS):
        yarn = _yarn(origin_region=origin)
        expected = {UFLPA_REGION, COTTON_REGION} if xinjiang else set()
        rules = ("upstream_origin",) if xinjiang else ()
        shirt = line(vn, "6109100012", country="VN", inputs=(yarn,))
        b.add(f"origin{n:02d}", "upstream_spelling", expected, event([shirt], day), rules)
    for n, name in enumerate(NEAR_VARIANTS):
        b.add(f"variant{n:02d}", "near_miss", set(), event([line(name, "6109100012")], day))


def build() -> list[Json]:
    b = Builder()
    for category in (
        exact_names,
        aliases,
        legal_forms,
        typos_and_romanisation,
        native_script,
        mids,
        regions,
        upstream,
        scope_and_dates,
        production_dates,
        exemptions,
        party_roles,
        multi_line,
        near_misses,
        clean,
        variants,
    ):
        category(b)
    return b.cases


def main() -> None:
    DATA.mkdir(exist_ok=True)
    cases = build()
    with (DATA / "eval_set.jsonl").open("w", encoding="utf-8") as out:
        for case in cases:
            out.write(json.dumps(case, ensure_ascii=False, sort_keys=True) + "\n")
    with (DATA / "eval_orders_overlay.jsonl").open("w", encoding="utf-8") as out:
        for order in mid_overlay():
            out.write(
                json.dumps(
                    order.model_dump(mode="json", exclude_none=True),
                    ensure_ascii=False,
                    sort_keys=True,
                )
                + "\n"
            )
    counts = {k: len(list(g)) for k, g in itertools.groupby(sorted(c["category"] for c in cases))}
    detain = sum(1 for c in cases if c["expected_outcome"] == "DETAIN")
    print(f"{len(cases)} cases ({detain} DETAIN, {len(cases) - detain} RELEASE): {counts}")


if __name__ == "__main__":
    main()
