"""Word lists behind name and region matching: data, not logic, so they are easy to review."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Dropped from names: they say what kind of company it is, not which one.
LEGAL_FORM_WORDS = _words(
    """
    co company companies corp corporation inc incorporated ltd limited llc llp lp plc pte pvt
    sdn bhd berhad gmbh ag sa sarl srl bv nv kk oy ab as spa tbk jsc ojsc pjsc
    liability joint stock share shares holding holdings group grp the and of a an
    """
)

# Native-script legal forms, longest first, stripped from the end of a name.
NATIVE_LEGAL_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "集团",
    "公司",
)

# Spelling variants of the same word, mapped to one form.
SYNONYMS = {
    "products": "product",
    "materials": "material",
    "shoes": "shoe",
    "garments": "garment",
    "textiles": "textile",
    "tex": "textile",
    "foods": "food",
    "industries": "industry",
    "industrial": "industry",
    "metals": "metal",
    "accessory": "accessories",
    "mfg": "manufacturing",
    "manufacture": "manufacturing",
    "manufacturer": "manufacturing",
    "intl": "international",
    "tech": "technology",
    "technologies": "technology",
    "biotech": "biotechnology",
    "bio": "biological",
    "electronic": "electronics",
    "chemicals": "chemical",
    "mines": "mine",
    "mining": "mine",
    "minerals": "mineral",
    "trade": "trading",
    "vocation": "vocational",
    "centre": "center",
    "ctr": "center",
}

# Romanisation variants of Xinjiang (and a few other) place and company names, to one spelling.
ROMANISATIONS = {
    "hetian": "hotan",
    "khotan": "hotan",
    "luopu": "lop",
    "kashi": "kashgar",
    "kaxgar": "kashgar",
    "ili": "yili",
    "hesheng": "hoshine",
    "wulumuqi": "urumqi",
    "urumchi": "urumqi",
    "tulufan": "turpan",
    "turfan": "turpan",
    "akesu": "aksu",
    "kuerle": "korla",
    "kelamayi": "karamay",
    "bole": "bortala",
    "aletai": "altay",
    "qoqek": "tacheng",
    "atushi": "artux",
    "atush": "artux",
    "kuche": "kuqa",
    "moyu": "karakax",
    "lvzhou": "luzhou",
}

# Xinjiang (XUAR) places in their canonical spelling (after ROMANISATIONS).
XUAR_PLACES = _words(
    """
    xinjiang xuar uyghur uygur urumqi hotan kashgar aksu turpan shanshan korla yining yili
    changji shihezi hami karamay bortala tacheng altay lop artux kuqa yanqi bayingolin kizilsu
    kashgar yarkand shache kargilik yecheng karakax pishan keriya yutian minfeng qiemo ruoqiang
    wujiaqu tumxuk aral beitun kokdala huyanghe alashankou khorgos horgos fukang kuytun toksun
    kucha jinghe manas hoxud
    """
)

# Native-script Xinjiang places (substrings of an address field).
XUAR_NATIVE_PLACES = (
    "新疆",
    "乌鲁木齐",
    "和田",
    "喀什",
    "阿克苏",
    "吐鲁番",
    "鄯善",
    "库尔勒",
    "伊宁",
    "伊犁",
    "昌吉",
    "石河子",
    "哈密",
    "克拉玛依",
    "博尔塔拉",
    "塔城",
    "阿勒泰",
    "洛浦",
    "阿图什",
    "巴音郭楞",
    "克孜勒苏",
)

# Chinese provinces and cities outside Xinjiang: they locate a company but do not identify it.
CHINESE_PLACES = _words(
    """
    hong kong hk macau taiwan beijing shanghai tianjin chongqing hebei shanxi liaoning jilin
    heilongjiang jiangsu zhejiang anhui fujian jiangxi shandong henan hubei hunan guangdong
    guangxi hainan sichuan guizhou yunnan tibet shaanxi gansu qinghai ningxia inner mongolia
    shenzhen guangzhou dongguan foshan hangzhou ningbo suzhou wuxi nanjing qingdao xiamen dalian
    wuhan chengdu hefei zhengzhou changsha jinan shijiazhuang baoding tangshan nantong jiaxing
    baotou heze hengshui binzhou rizhao nangong xinye huangmei
    """
)
# Countries and words of wide geography: generic in names, but too broad to tell companies apart.
WIDE_PLACES = _words(
    """
    china chinese prc asia pacific america american usa us united states europe european global
    international world vietnam viet nam thailand malaysia malaysian indonesia india bangladesh
    cambodia pakistan turkey mexico congo democratic republic eastern western northern southern
    east west north south central new
    """
)
OTHER_PLACES = CHINESE_PLACES | WIDE_PLACES
# Places that pin a company down: two similar names in different cities are different companies.
LOCATING_PLACES = (XUAR_PLACES | CHINESE_PLACES) - {"xinjiang", "xuar", "uyghur", "uygur"}

# Words that describe a trade, a product or a corporate shape: never distinctive.
TRADE_WORDS = _words(
    """
    cotton linen wool silk hair textile garment apparel clothing fashion knitting knitwear
    weaving spinning dyeing yarn fabric fiber fibre trading import export imp exp industry
    technology science development product material manufacturing factory plant mill works
    park center base branch office warehouse warehousing logistics supply chain service
    services solution solutions enterprise enterprises investment capital resources energy
    power electric electrical electronics solar silicon chemical new materials metal steel
    aluminium aluminum copper zinc magnesium gold mine mineral coal oil gas agriculture
    agricultural food fruit vegetable tomato sugar farm farming livestock biological
    biotechnology pharmaceutical medical medicine health shoe leather glove gloves rubber
    plastic paper wood furniture toy toys machinery machine equipment auto parts engineering
    construction real estate property transport shipping freight commerce commercial business
    economic general county city town village province region autonomous prefecture district
    no number first second third vocational skills education training accessories processing
    co_op cooperative association federation union corps production packing packaging
    artisanal small large
    """
)

GENERIC_WORDS = XUAR_PLACES | OTHER_PLACES | TRADE_WORDS
