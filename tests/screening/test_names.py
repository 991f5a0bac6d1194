"""Name normalisation and which words may carry a match, as decision tables."""

from __future__ import annotations

import pytest

from laborguard_screener.engine.names import canonical_tokens, joined, name_key, native_key

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("filed", "listed"),
    [
        ("Hetian Taida Apparel Company Limited", "Hetian Taida Apparel Co., Ltd."),
        ("HETIAN TAIDA APPAREL CO.,LTD", "Hetian Taida Apparel Co., Ltd."),
        ("Hotan Taida Apparel Co Ltd", "Hetian Taida Apparel Co., Ltd."),
        ("Luopu County Hair Products Industrial Park", "Lop County Hair Product Industrial Park"),
        ("Kashi Construction Engineering Group Co.", "Kashgar Construction Engineering (Group)"),
        ("Ili Zhuowan Garment Mfg. Co., Ltd.", "Yili Zhuowan Garment Manufacturing Co., Ltd."),
        ("Hesheng Silicon Industry (Shanshan)", "Hoshine Silicon Industry (Shanshan) Co., Ltd"),
        ("Heze Cotton & Linen Co., Ltd.", "Heze Cotton and Linen Co., Ltd."),
        ("Hoshine Silicon Industry Co. Ltd.", "Hoshine Silicon Industry Co. Ltd. and Subsidiaries"),
        ("Apex Technology Co., Ltd.", "Apex Technology Co., Ltd. (former name)"),
        ("Sime Darby Plantation Bhd", "Sime Darby Plantation Berhad"),
        ("Ｔｏｐ　Ｇｌｏｖｅ", "Top Glove"),  # full-width forms
    ],
)
def test_variants_of_one_name_share_a_key(filed: str, listed: str) -> None:
    assert name_key(filed).text == name_key(listed).text


@pytest.mark.parametrize(
    ("filed", "listed"),
    [
        ("Xinjiang Zhongtai Chemical Co., Ltd.", "Xinjiang Zhongtai Group Co. Ltd."),
        ("Heze Cotton and Linen Textile Co.", "Heze Cotton and Linen Co., Ltd."),
        ("Western Gold Hami Gold Mine Co.", "Western Gold Co., Ltd."),
    ],
)
def test_different_companies_keep_different_keys(filed: str, listed: str) -> None:
    assert name_key(filed).text != name_key(listed).text


@pytest.mark.parametrize(
    ("name", "distinctive"),
    [
        ("Xinjiang Cotton Textile Trading Group Co., Ltd.", set()),
        ("China Cotton Group Xinjiang Cotton Co.", set()),
        ("Lop County Hair Product Industrial Park", set()),
        ("Hetian Taida Apparel Co., Ltd.", {"taida"}),
        ("Hoshnie Silicn Industry", {"hoshnie"}),  # misspelt generic word stays generic
        ("Xinjiang Daqo New Enrgy Co., Ltd.", {"daqo"}),
        ("Anhui Xinya New Materials Co., Ltd.", {"xinya"}),  # a name, not a misspelt place
        ("WRP Asia Pacfic Sdn. Bhd.", {"wrp"}),
    ],
)
def test_only_distinctive_words_can_carry_a_match(name: str, distinctive: set[str]) -> None:
    assert name_key(name).distinctive() == distinctive


@pytest.mark.parametrize(
    ("filed", "listed"),
    [
        ("新疆天山毛纺织有限公司", "新疆天山毛纺织股份有限公司"),
        ("中国新建集团公司", "中国新建集团"),
        ("新疆 生产建设兵团", "新疆生产建设兵团"),
    ],
)
def test_native_names_drop_spacing_and_legal_forms(filed: str, listed: str) -> None:
    assert native_key(filed) == native_key(listed)


@pytest.mark.parametrize(
    ("filed", "listed"),
    [
        # legal forms in any language, spelt out or abbreviated, dotted or not
        ("Siemens Aktiengesellschaft", "Siemens AG"),
        ("SiemensAG", "Siemens AG"),  # glued to the name
        ("Volkswagen Gesellschaft mit beschränkter Haftung", "Volkswagen GmbH"),
        ("Open Joint Stock Company Gazprom", "OAO Gazprom"),
        ("Lloyds Banking Group Public Limited Company", "Lloyds Banking Group plc"),
        ("HSBC Holdings p.l.c.", "HSBC Holdings plc"),
        ("Faberlic Europe Sp. z o.o.", "Faberlic Europe"),
        ("Oboronnye Initsiativy o.O.O.", "OOO Oboronnye Initsiativy"),
        ("Societatea cu Răspundere Limitată Pro Traffic", "SRL Pro Traffic"),
        ("Tactical Missiles Corporation Joint Stock Compan", "Tactical Missiles Corporation"),
        # dotted and spaced acronyms
        ("A.B.C. Company", "ABC Co."),
        ("J. P. Morgan & Co.", "JP Morgan & Co."),
        # accents and scripts
        ("Société Générale S.A.", "Societe Generale SA"),
        ("ООО Ромашка", "Romashka LLC"),
        # ordinals and numbers
        ("1st International Bank", "First International Bank"),
        ("Brigade Forty-Four", "Brigade 44"),
        ("Brigade Fourty Four", "Brigade 44"),  # a misspelt ten is still a ten
        ("Three Percenters", "3 Percenters"),
        ("Carlyle Partners VII L.P.", "Carlyle Partners 7 LP"),
        # joined and split words, apostrophes, hyphens
        ("PricewaterhouseCoopers LLP", "Pricewaterhouse Coopers LLP"),
        ("Goodwill Company", "Good Will Company"),
        ("Al Qa'ida", "Al Qaida"),
        ("Al Qa’ida", "Al Qaida"),
        ("Deutsche Bank's AG", "Deutsche Bank AG"),
        ("Mercedes-Benz Group AG", "Mercedes Benz Group AG"),
    ],
)
def test_spellings_of_one_name_share_an_exact_key(filed: str, listed: str) -> None:
    assert joined(name_key(filed).text) == joined(name_key(listed).text)


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("मुकेश अंबानी", ("mukesa", "ambani")),  # transliterated whole, not cut at vowel signs
        ("ហ៊ុន សែន", ("ហ៊ុន", "សែន")),  # no transliteration: words kept whole, marks included
    ],
)
def test_scripts_with_combining_marks_are_not_fragmented(
    name: str, tokens: tuple[str, ...]
) -> None:
    assert canonical_tokens(name) == tokens


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("Deutsche Bank AG", ("jsc",)),
        ("Deutsche Bank Aktiengesellschaft", ("jsc",)),
        ("Deutsche Bank GmbH", ("llc",)),
        ("Hetian Taida Apparel Co., Ltd.", ("llc",)),
        ("Hetian Taida Apparel", ()),
        ("Bowne Global Solutions II, Inc.", ("llc",)),  # "II" is a series, not a legal form
    ],
)
def test_legal_forms_are_kept_aside_as_their_generic_kind(
    name: str, forms: tuple[str, ...]
) -> None:
    assert name_key(name).forms == forms


def test_a_misspelt_trade_word_is_still_generic() -> None:
    assert name_key("Hoshine Silicon Industrail Co.").distinctive() == {"hoshine"}
    assert name_key("Bank of Chima Limited").distinctive() == {"bank"}
