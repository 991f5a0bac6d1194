"""Properties over arbitrary filed names and addresses: screen never fails, and is deterministic."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laborguard_contracts.seed import load_seed
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import screen

from .builders import DECIDED_AT, shipment

pytestmark = pytest.mark.unit

SEED = OrderBook.of(load_seed())
names = st.text(min_size=1, max_size=80).filter(lambda text: text.strip() != "")
postal = st.one_of(st.none(), st.text(alphabet="0123456789 -", max_size=10))
addresses = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {"city": st.one_of(st.none(), names), "postal_code": postal},
        optional={"province": names},
    ),
)


@settings(max_examples=150, deadline=None)
@given(name=names, native=st.one_of(st.none(), names), address=addresses, seller=names)
def test_any_names_and_addresses_screen_deterministically(
    name: str, native: str | None, address: dict[str, Any] | None, seller: str
) -> None:
    maker: dict[str, Any] = {"name": name, "native_name": native, "address": address}
    event = shipment(maker, parties=({"role": "seller", "name": seller},))
    first = screen(event, SEED, decided_at=DECIDED_AT)
    assert first == screen(event, SEED, decided_at=DECIDED_AT)
    assert (first.outcome == "DETAIN") == bool(first.matches)
