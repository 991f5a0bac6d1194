"""Name normalisation and which words may carry a match, as decision tables."""

from __future__ import annotations

import pytest

from laborguard_screener.engine.names import name_key, native_key

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
