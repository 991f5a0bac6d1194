"""Plausible trade names: pinyin brand words, local legal forms, US importer names."""

from __future__ import annotations

from random import Random

BRAND_WORDS = (
    "Hengda",
    "Jinhui",
    "Huafeng",
    "Tianyi",
    "Yongsheng",
    "Zhongxing",
    "Haitian",
    "Meida",
    "Hongfa",
    "Shengda",
    "Kaiyuan",
    "Ruitai",
    "Fuxing",
    "Longda",
    "Jiahe",
    "Dingsheng",
    "Xinyuan",
    "Lianfa",
    "Baoshun",
    "Chuangyi",
    "Delong",
    "Guanghua",
    "Hualian",
    "Jiayu",
    "Mingtai",
    "Qianfeng",
    "Runda",
    "Sanli",
    "Wanbang",
    "Xiangtai",
    "Yida",
    "Zhenhua",
)
LOCAL_WORDS: dict[str, tuple[str, ...]] = {
    "VN": ("Viet Thang", "Phong Phu", "Saigon Star", "Thanh Cong", "Hoa Tho", "Nam Long"),
    "BD": ("Rahman", "Padma", "Meghna", "Jamuna", "Karnaphuli", "Sonar Bangla"),
    "IN": ("Shree Ganesh", "Arvind", "Laxmi", "Sai Krishna", "Vardhman", "Mahalakshmi"),
    "PK": ("Indus", "Crescent", "Al-Karam", "Nishat", "Kohinoor"),
    "MY": ("Harta", "Kossan", "Sinar", "Permata", "Mutiara"),
    "ID": ("Sinar Jaya", "Mitra", "Cahaya", "Indah"),
    "TH": ("Siam", "Chao Phraya", "Thai Union"),
    "KH": ("Angkor", "Mekong"),
}
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "CN": ("Co., Ltd.", "Co., Ltd.", "Co. Ltd.", "Company Limited", "Industrial Co., Ltd."),
    "HK": ("Limited", "Company Limited"),
    "VN": ("Co., Ltd.", "Joint Stock Company", "JSC"),
    "BD": ("Ltd.", "Limited"),
    "IN": ("Pvt. Ltd.", "Private Limited", "Exports Pvt. Ltd."),
    "PK": ("(Pvt.) Ltd.", "Limited"),
    "MY": ("Sdn. Bhd.", "Berhad"),
    "ID": ("PT", "Tbk"),
    "TH": ("Co., Ltd.", "Public Company Limited"),
    "TW": ("Co., Ltd.", "Corporation"),
    "KR": ("Co., Ltd.", "Corporation"),
    "JP": ("Co., Ltd.", "Corporation", "K.K."),
    "DE": ("GmbH", "AG"),
    "IT": ("S.p.A.", "S.r.l."),
    "ES": ("S.A.",),
    "PT": ("S.A.", "Lda."),
    "MX": ("S.A. de C.V.",),
    "BR": ("Ltda.", "S.A."),
}
US_WORDS = (
    "Pacific",
    "Harbor",
    "Summit",
    "Blue Ridge",
    "Golden Gate",
    "Liberty",
    "Evergreen",
    "Coastal",
    "Keystone",
    "Lakeshore",
    "Redwood",
    "Atlas",
    "Pioneer",
    "Heritage",
    "Northstar",
    "Prairie",
    "Cascade",
    "Bayview",
    "Granite",
    "Silverline",
    "Magnolia",
    "Meridian",
    "Sterling",
    "Union",
)
US_NOUNS = (
    "Apparel",
    "Home Goods",
    "Trading",
    "Distribution",
    "Brands",
    "Imports",
    "Supply",
    "Outfitters",
    "Electronics",
    "Foods",
    "Industries",
    "Retail Group",
    "Sourcing",
    "Solar",
)
US_FORMS = ("LLC", "Inc.", "Corp.", "Co.", "Inc")
US_PLACES = (
    ("Los Angeles", "CA", "900"),
    ("Commerce", "CA", "900"),
    ("Ontario", "CA", "917"),
    ("Secaucus", "NJ", "070"),
    ("Edison", "NJ", "088"),
    ("Brooklyn", "NY", "112"),
    ("Savannah", "GA", "314"),
    ("Atlanta", "GA", "303"),
    ("Houston", "TX", "770"),
    ("Dallas", "TX", "752"),
    ("Chicago", "IL", "606"),
    ("Seattle", "WA", "981"),
    ("Kent", "WA", "980"),
    ("Charleston", "SC", "294"),
    ("Miami", "FL", "331"),
    ("Columbus", "OH", "432"),
    ("Memphis", "TN", "381"),
    ("Portland", "OR", "972"),
)
US_STREETS = (
    "Commerce Dr",
    "Industrial Way",
    "Harbor Blvd",
    "Main St",
    "Logistics Pkwy",
    "Gateway Ave",
    "Warehouse Rd",
    "Airport Rd",
)


def legal_form(rng: Random, country: str) -> str:
    return rng.choice(LEGAL_FORMS.get(country, ("Co., Ltd.", "Ltd.")))


def foreign_company(rng: Random, country: str, city: str, industry: str) -> str:
    form = legal_form(rng, country)
    if country in ("CN", "HK", "TW"):
        return f"{city} {rng.choice(BRAND_WORDS)} {industry} {form}"
    words = LOCAL_WORDS.get(country, BRAND_WORDS)
    if form in ("PT",):
        return f"PT {rng.choice(words)} {industry}"
    return f"{rng.choice(words)} {industry} {form}"


def us_company(rng: Random) -> str:
    return f"{rng.choice(US_WORDS)} {rng.choice(US_NOUNS)} {rng.choice(US_FORMS)}"
