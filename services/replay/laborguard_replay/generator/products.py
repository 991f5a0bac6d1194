"""Merchandise: real HTS-10 statistical codes, what they are, and where US imports come from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    hts: str  # HTS-10 as filed, with dots
    description: str
    unit: str
    unit_price: tuple[float, float]  # USD range per unit
    category: str


@dataclass(frozen=True)
class Category:
    name: str
    weight: float  # share of entries
    origins: tuple[tuple[str, float], ...]  # country of origin and its share
    industry: str  # word used in synthetic manufacturer names
    cotton: bool = False  # made from cotton: an upstream input is filed


CATEGORIES = (
    Category(
        "apparel",
        22,
        (("CN", 30), ("VN", 25), ("BD", 15), ("IN", 8), ("KH", 6), ("ID", 5), ("PK", 4)),
        "Garment",
        cotton=True,
    ),
    Category("home_textile", 6, (("CN", 40), ("IN", 30), ("PK", 20), ("TR", 5)), "Textile", True),
    Category("yarn_fabric", 3, (("CN", 40), ("IN", 30), ("PK", 20), ("VN", 10)), "Spinning", True),
    Category("footwear", 6, (("CN", 50), ("VN", 35), ("ID", 10), ("IN", 5)), "Shoes"),
    Category("furniture", 8, (("CN", 40), ("VN", 40), ("MY", 10), ("MX", 10)), "Furniture"),
    Category("toys", 6, (("CN", 85), ("VN", 10), ("MX", 5)), "Toys"),
    Category("electronics", 15, (("CN", 55), ("VN", 15), ("MY", 10), ("TW", 10)), "Electronics"),
    Category("solar", 3, (("VN", 30), ("MY", 25), ("TH", 20), ("CN", 20), ("KH", 5)), "Solar"),
    Category("appliances", 4, (("CN", 50), ("MX", 30), ("KR", 10), ("TH", 10)), "Electric"),
    Category("batteries", 3, (("CN", 60), ("KR", 20), ("JP", 10), ("MX", 10)), "Power"),
    Category("toner", 1, (("CN", 80), ("JP", 10), ("VN", 10)), "Imaging"),
    Category("hair", 1.5, (("CN", 80), ("IN", 10), ("VN", 10)), "Hair Products"),
    Category("silicon", 1, (("CN", 60), ("DE", 20), ("JP", 10), ("KR", 10)), "Silicon"),
    Category("chemicals", 1.5, (("CN", 40), ("TW", 20), ("KR", 20), ("DE", 20)), "Chemical"),
    Category("viscose", 0.5, (("CN", 50), ("IN", 20), ("ID", 20), ("AT", 10)), "Fibre"),
    Category("aluminium", 2, (("CA", 45), ("AE", 20), ("CN", 20), ("IN", 15)), "Aluminium"),
    Category("magnesium", 0.3, (("CN", 70), ("IL", 15), ("BR", 15)), "Magnesium"),
    Category("copper", 1, (("CL", 60), ("PE", 20), ("CA", 20)), "Copper"),
    Category("tomato", 2, (("IT", 50), ("CN", 20), ("ES", 10), ("PT", 10), ("TR", 10)), "Food"),
    Category("food", 3, (("CN", 50), ("TR", 20), ("AR", 15), ("CL", 15)), "Foodstuffs"),
    Category("sugar", 1.5, (("BR", 30), ("DO", 20), ("MX", 30), ("GT", 20)), "Sugar"),
    Category("palm_oil", 1.5, (("MY", 50), ("ID", 50)), "Plantations"),
    Category("gloves", 3, (("MY", 60), ("TH", 20), ("CN", 15), ("VN", 5)), "Gloves"),
    Category("gold", 0.5, (("CH", 40), ("CA", 30), ("MX", 20), ("PE", 10)), "Refining"),
    Category("fasteners", 5, (("CN", 40), ("TW", 40), ("VN", 20)), "Hardware"),
)
CATEGORY_BY_NAME = {category.name: category for category in CATEGORIES}

PRODUCTS = (
    Product("6109.10.0012", "men's cotton knit T-shirts", "DOZ", (18, 60), "apparel"),
    Product("6109.10.0040", "women's cotton knit T-shirts", "DOZ", (18, 60), "apparel"),
    Product("6110.20.2079", "cotton knit sweaters and pullovers", "DOZ", (60, 180), "apparel"),
    Product("6203.42.4011", "men's cotton denim trousers", "DOZ", (80, 240), "apparel"),
    Product("6204.62.4011", "women's cotton denim trousers", "DOZ", (80, 240), "apparel"),
    Product("6205.20.2066", "men's woven cotton shirts", "DOZ", (60, 200), "apparel"),
    Product("6116.10.5520", "knitted gloves, plastic-coated", "DPR", (8, 30), "apparel"),
    Product("6302.21.9020", "cotton bed sheets, printed", "NO", (4, 20), "home_textile"),
    Product("6302.60.0020", "cotton terry towels", "NO", (1, 6), "home_textile"),
    Product("5205.12.1000", "single cotton yarn, uncombed", "KG", (2, 5), "yarn_fabric"),
    Product("5208.12.4020", "woven cotton fabric, unbleached", "M2", (1, 4), "yarn_fabric"),
    Product("6404.11.9020", "textile-upper sports footwear", "PRS", (6, 30), "footwear"),
    Product("6403.99.6075", "leather-upper footwear", "PRS", (10, 45), "footwear"),
    Product("9403.60.8081", "wooden furniture", "NO", (40, 400), "furniture"),
    Product("9401.61.6011", "upholstered wooden-frame chairs", "NO", (30, 250), "furniture"),
    Product("9503.00.0073", "toys for children over three", "NO", (2, 25), "toys"),
    Product("8471.30.0100", "portable computers (laptops)", "NO", (150, 900), "electronics"),
    Product(
        "8473.30.1180",
        "parts of computers, printed circuit assemblies",
        "NO",
        (5, 80),
        "electronics",
    ),
    Product("8517.62.0090", "network switching apparatus", "NO", (20, 400), "electronics"),
    Product("8504.40.9580", "power supplies for computers", "NO", (4, 40), "electronics"),
    Product("8541.40.6020", "photovoltaic modules, crystalline silicon", "NO", (90, 250), "solar"),
    Product("8418.10.0010", "refrigerator-freezers, household", "NO", (180, 700), "appliances"),
    Product("8516.60.4060", "electric cooking ranges", "NO", (120, 600), "appliances"),
    Product("8507.60.0020", "lithium-ion batteries", "NO", (4, 120), "batteries"),
    Product("8507.10.0060", "lead-acid storage batteries", "NO", (30, 120), "batteries"),
    Product("8443.99.2550", "toner cartridges", "NO", (3, 40), "toner"),
    Product("6704.20.0000", "wigs and hairpieces of human hair", "NO", (20, 200), "hair"),
    Product("6703.00.3000", "human hair, dressed or thinned", "KG", (50, 400), "hair"),
    Product("2804.61.0000", "silicon, over 99.99% pure (polysilicon)", "KG", (8, 30), "silicon"),
    Product("3910.00.0000", "silicones in primary forms", "KG", (3, 9), "silicon"),
    Product("3904.10.0000", "polyvinyl chloride, not mixed", "KG", (1, 2), "chemicals"),
    Product(
        "2815.11.0000", "sodium hydroxide (caustic soda), solid", "KG", (0.3, 0.9), "chemicals"
    ),
    Product("5504.10.0000", "viscose rayon staple fibres", "KG", (1.5, 3), "viscose"),
    Product("7601.10.6000", "unwrought aluminium, not alloyed", "KG", (2, 3.5), "aluminium"),
    Product("8104.11.0000", "unwrought magnesium, 99.8% pure", "KG", (3, 8), "magnesium"),
    Product("7403.11.0000", "refined copper cathodes", "KG", (6, 10), "copper"),
    Product("2002.90.8050", "tomato paste", "KG", (0.8, 2.5), "tomato"),
    Product("2002.10.0020", "tomatoes, whole, prepared", "KG", (0.6, 2), "tomato"),
    Product("2009.71.0020", "apple juice, not concentrated", "LTR", (0.4, 1.2), "food"),
    Product("0813.40.3000", "dried jujubes (red dates)", "KG", (2, 8), "food"),
    Product("0703.20.0010", "fresh garlic, peeled", "KG", (1, 3), "food"),
    Product("1701.14.1000", "raw cane sugar", "KG", (0.3, 0.6), "sugar"),
    Product("1511.10.0000", "crude palm oil", "KG", (0.6, 1.2), "palm_oil"),
    Product("1511.90.0000", "refined palm oil", "KG", (0.7, 1.4), "palm_oil"),
    Product("4015.19.1010", "disposable nitrile gloves", "DPR", (0.05, 0.2), "gloves"),
    Product("4015.11.0150", "surgical rubber gloves", "DPR", (0.1, 0.4), "gloves"),
    Product("7108.12.1020", "gold bullion, unwrought", "GM", (40, 70), "gold"),
    Product("7318.15.8069", "steel bolts and screws", "KG", (1, 4), "fasteners"),
)


def products_in(category: str) -> tuple[Product, ...]:
    return tuple(product for product in PRODUCTS if product.category == category)


def products_under(prefixes: tuple[str, ...]) -> tuple[Product, ...]:
    """Products whose HTS code starts with one of the (digit-only) prefixes."""
    return tuple(
        product
        for product in PRODUCTS
        if any(product.hts.replace(".", "").startswith(prefix) for prefix in prefixes)
    )
