from __future__ import annotations

import pytest

from laborguard_contracts import OrderKind
from laborguard_contracts.codec import dumps
from laborguard_contracts.seed import load_seed
from laborguard_registry.errors import ConflictError, ImportFormatError, InvalidChangeError
from laborguard_registry.imports import ImportFormat, plan_import, read_orders
from laborguard_registry.orders import OrderStatus, status_at

pytestmark = pytest.mark.unit

HEADER = (
    "Country,Entity,Merchandise,Industry,Status,WRO/Finding,Effective Date,Remarks,Press Release"
)
ROWS = (
    "China,Hetian Haolin Hair Accessories Co. Ltd.,Hair products,Apparel,Active,WRO,05/01/2020,,"
    "https://www.cbp.gov/newsroom/a",
    "Malaysia,WRP Asia Pacific Sdn. Bhd.,Disposable gloves,Manufacturing,Inactive,WRO,09/30/2019,"
    "Revoked 03/23/2020,",
    "Malaysia,Top Glove Corporation Bhd,Disposable gloves,Manufacturing,Active,Finding,"
    "03/29/2021,,",
)
CBP_CSV = "\n".join((HEADER, *ROWS)) + "\n"


def test_cbp_csv_rows_become_orders_with_their_kind_country_and_dates() -> None:
    wro, revoked, finding = read_orders(CBP_CSV.encode(), ImportFormat.CBP_CSV)
    assert wro.kind is OrderKind.WRO and wro.entities[0].country == "CN"
    assert wro.source == "https://www.cbp.gov/newsroom/a"
    assert status_at(revoked, revoked.timeline[0].effective) is OrderStatus.IN_FORCE
    assert status_at(revoked, revoked.timeline[-1].effective) is OrderStatus.REVOKED
    assert finding.kind is OrderKind.FINDING and finding.action.value == "seize"


def test_cbp_csv_ids_are_stable_across_reads() -> None:
    first = read_orders(CBP_CSV.encode(), ImportFormat.CBP_CSV)
    again = read_orders(CBP_CSV.encode(), ImportFormat.CBP_CSV)
    assert [o.order_id for o in first] == [o.order_id for o in again]
    assert len({o.order_id for o in first}) == 3


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("China,Acme,Hair,Apparel,Active,WRO,31/31/2020,,", "line 2: Effective Date"),
        ("China,Acme,Hair,Apparel,Active,Permit,05/01/2020,,", "line 2: WRO/Finding"),
        ("China,Acme,Hair,Apparel,Inactive,WRO,05/01/2020,no date here,", "line 2: Remarks"),
    ],
)
def test_bad_cbp_row_names_its_line_and_column(row: str, field: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read_orders(f"{HEADER}\n{row}\n".encode(), ImportFormat.CBP_CSV)
    assert caught.value.field == field


def test_cbp_csv_without_a_required_column_is_refused() -> None:
    with pytest.raises(ImportFormatError) as caught:
        read_orders(b"Country,Entity\nChina,Acme\n", ImportFormat.CBP_CSV)
    assert caught.value.field == "header"


def test_seed_document_error_names_the_index_and_field() -> None:
    documents = [order.model_dump(mode="json") for order in load_seed()[:2]]
    documents[1]["kind"] = "permit"
    with pytest.raises(ImportFormatError) as caught:
        read_orders(dumps(documents), ImportFormat.SEED)
    assert caught.value.field == "[1].kind"


def test_import_plan_leaves_identical_orders_alone() -> None:
    seed = load_seed()
    held = {order.order_id: order for order in seed[:10]}
    plan = plan_import(held, seed)
    assert len(plan.created) == len(seed) - 10 and len(plan.unchanged) == 10


def test_import_plan_refuses_a_changed_existing_order_naming_the_item_and_field() -> None:
    seed = load_seed()
    held = {order.order_id: order for order in seed}
    changed = seed[1].model_copy(update={"notes": "new remark"})
    with pytest.raises(ConflictError) as caught:
        plan_import(held, [seed[0], changed])
    assert caught.value.field == "[1].notes"


def test_import_plan_takes_a_finding_only_with_the_wro_it_escalated() -> None:
    seed = load_seed()
    finding = next(order for order in seed if order.escalated_from)
    wro = next(order for order in seed if order.order_id == finding.escalated_from)
    assert plan_import({}, [wro, finding]).created == (wro, finding)
    with pytest.raises(InvalidChangeError) as caught:
        plan_import({}, [finding])
    assert caught.value.field == "[0].escalated_from"


def test_import_plan_refuses_a_file_naming_an_order_twice() -> None:
    seed = load_seed()
    with pytest.raises(ImportFormatError):
        plan_import({}, [seed[0], seed[0]])
