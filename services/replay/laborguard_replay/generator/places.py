"""Where things are made: cities with postal codes and provinces, Xinjiang's among them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    province: str | None
    postal_prefix: str | None  # leading digits; the rest are drawn
    postal_length: int = 6


# Xinjiang (XUAR): postal codes start with 83 or 84; romanisation variants are listed separately.
XINJIANG = (
    City("Urumqi", "Xinjiang", "8300"),
    City("Kashgar", "Xinjiang", "8440"),
    City("Hotan", "Xinjiang", "8480"),
    City("Aksu", "Xinjiang", "8430"),
    City("Turpan", "Xinjiang", "8380"),
    City("Shanshan", "Xinjiang", "8382"),
    City("Korla", "Xinjiang", "8410"),
    City("Yining", "Xinjiang", "8350"),
    City("Changji", "Xinjiang", "8311"),
    City("Shihezi", "Xinjiang", "8320"),
    City("Hami", "Xinjiang", "8390"),
    City("Karamay", "Xinjiang", "8340"),
    City("Lop", "Xinjiang", "8482"),
    City("Bole", "Xinjiang", "8334"),
    City("Tacheng", "Xinjiang", "8347"),
    City("Altay", "Xinjiang", "8365"),
    City("Artux", "Xinjiang", "8453"),
)
XINJIANG_BY_NAME = {city.name: city for city in XINJIANG}
# Other spellings filers use for the same places (pinyin, older romanisations).
XINJIANG_SPELLINGS = {
    "Urumqi": ("Wulumuqi", "Urumchi"),
    "Kashgar": ("Kashi",),
    "Hotan": ("Hetian", "Khotan"),
    "Lop": ("Luopu",),
    "Yining": ("Yili", "Ili", "Gulja"),
    "Turpan": ("Tulufan",),
    "Korla": ("Kuerle",),
    "Aksu": ("Akesu",),
}

CITIES: dict[str, tuple[City, ...]] = {
    "CN": (
        City("Guangzhou", "Guangdong", "5100"),
        City("Shenzhen", "Guangdong", "5180"),
        City("Dongguan", "Guangdong", "5230"),
        City("Foshan", "Guangdong", "5280"),
        City("Ningbo", "Zhejiang", "3150"),
        City("Shaoxing", "Zhejiang", "3120"),
        City("Hangzhou", "Zhejiang", "3100"),
        City("Yiwu", "Zhejiang", "3220"),
        City("Suzhou", "Jiangsu", "2150"),
        City("Wuxi", "Jiangsu", "2140"),
        City("Nantong", "Jiangsu", "2260"),
        City("Qingdao", "Shandong", "2660"),
        City("Xiamen", "Fujian", "3610"),
        City("Quanzhou", "Fujian", "3620"),
        City("Shanghai", "Shanghai", "2000"),
        City("Tianjin", "Tianjin", "3000"),
        City("Zhengzhou", "Henan", "4500"),
        City("Hefei", "Anhui", "2300"),
        City("Chengdu", "Sichuan", "6100"),
    ),
    "VN": (
        City("Ho Chi Minh City", None, "70"),
        City("Binh Duong", None, "75"),
        City("Dong Nai", None, "76"),
        City("Hanoi", None, "10"),
        City("Hai Phong", None, "18"),
    ),
    "BD": (
        City("Dhaka", None, "12", 4),
        City("Gazipur", None, "17", 4),
        City("Narayanganj", None, "14", 4),
        City("Chattogram", None, "42", 4),
    ),
    "IN": (
        City("Tiruppur", "Tamil Nadu", "641"),
        City("Ludhiana", "Punjab", "141"),
        City("Mumbai", "Maharashtra", "400"),
        City("Panipat", "Haryana", "132"),
    ),
    "KH": (City("Phnom Penh", None, "120", 5),),
    "ID": (City("Jakarta", None, "14", 5), City("Bandung", None, "40", 5)),
    "PK": (City("Karachi", "Sindh", "75", 5), City("Faisalabad", "Punjab", "38", 5)),
    "TR": (City("Istanbul", None, "34", 5), City("Denizli", None, "20", 5)),
    "MY": (
        City("Klang", "Selangor", "41", 5),
        City("Ipoh", "Perak", "30", 5),
        City("Shah Alam", "Selangor", "40", 5),
    ),
    "TH": (City("Bangkok", None, "10", 5), City("Rayong", None, "21", 5)),
    "TW": (City("Taichung", None, "40", 3), City("Kaohsiung", None, "80", 3)),
    "KR": (City("Busan", None, "4", 5), City("Ulsan", None, "4", 5)),
    "JP": (City("Osaka", None, "5", 7), City("Nagoya", None, "4", 7)),
    "MX": (City("Monterrey", "Nuevo Leon", "64", 5), City("Tijuana", "Baja California", "22", 5)),
    "DE": (City("Hamburg", None, "2", 5), City("Burghausen", None, "84", 5)),
    "IT": (City("Parma", None, "43", 5), City("Salerno", None, "84", 5)),
    "ES": (City("Badajoz", None, "06", 5),),
    "PT": (City("Santarem", None, "20", 4),),
    "CA": (City("Montreal", "Quebec", None), City("Saguenay", "Quebec", None)),
    "AE": (City("Jebel Ali", None, None),),
    "IL": (City("Sdom", None, "86", 7),),
    "BR": (City("Santos", None, "11", 8),),
    "CL": (City("Antofagasta", None, None),),
    "PE": (City("Callao", None, None),),
    "AR": (City("Mendoza", None, None),),
    "DO": (City("La Romana", None, "22", 5),),
    "GT": (City("Escuintla", None, None),),
    "CH": (City("Mendrisio", None, "68", 4),),
    "AT": (City("Lenzing", None, "48", 4),),
    "CD": (City("Bukavu", None, None),),
    "HK": (City("Hong Kong", None, None),),
}

STREET_WORDS = (
    "Industrial",
    "Xingye",
    "Jianshe",
    "Renmin",
    "Zhongshan",
    "Jiefang",
    "Hongqi",
    "Xinhua",
    "Binhai",
    "Kaifa",
    "Chaoyang",
    "Heping",
    "Yingbin",
    "Gongye",
)
