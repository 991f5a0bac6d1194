"""What-if on the bundled sample with the screener's own engine (no broker needed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from laborguard_contracts import Outcome, ShipmentEvent
from laborguard_contracts.codec import loads
from laborguard_contracts.seed import load_seed
from laborguard_replay.candidates import candidate_book, read_orders
from laborguard_replay.errors import CandidateError
from laborguard_replay.report import main as report_main
from laborguard_replay.samples import XUAR_BAN_2020_PATH
from laborguard_replay.scenarios import WhatIf, what_if
from laborguard_replay.whatif import main
from laborguard_screener.engine.screening import screen

pytestmark = pytest.mark.unit

CONSIDERED = date(2020, 9, 14)
REAL_REGION_ORDER = date(2021, 1, 13)
CANDIDATE_ID = "whatif-region-2020-xuar-all-goods"


@pytest.fixture(scope="module")
def events(sample: list[ShipmentEvent]) -> list[ShipmentEvent]:
    cutoff = datetime(2021, 2, 1, tzinfo=UTC)
    return [e for e in sample if e.event_time < cutoff]


@pytest.fixture(scope="module")
def xuar_ban(events: list[ShipmentEvent]) -> WhatIf:
    return what_if(events, load_seed(), read_orders(XUAR_BAN_2020_PATH))


def _day(result: WhatIf, event_id: str) -> date:
    return date.fromisoformat(result.attributes[event_id].month + "-01")


def test_xuar_ban_of_2020_09_14_detains_shipments_before_the_real_order(xuar_ban: WhatIf) -> None:
    flips = xuar_ban.diff.flips
    early = [
        f
        for f in flips
        if f.event_id
        and xuar_ban.attributes[f.event_id].month
        in ("2020-09", "2020-10", "2020-11", "2020-12", "2021-01")
    ]
    assert early, "some shipments of 2020-09-14..2021-01-13 must flip"
    assert all(f.after is Outcome.DETAIN and CANDIDATE_ID in f.orders_after for f in flips)


def test_xuar_ban_flips_nothing_before_2020_09_14(
    xuar_ban: WhatIf, events: list[ShipmentEvent]
) -> None:
    when = {e.event_id: e.event_time.date() for e in events}
    assert min(when[f.event_id] for f in xuar_ban.diff.flips) >= CONSIDERED
    assert any(when[f.event_id] < REAL_REGION_ORDER for f in xuar_ban.diff.flips)


def test_xuar_ban_only_adds_detentions(xuar_ban: WhatIf) -> None:
    added = xuar_ban.candidate["DETAIN"] - xuar_ban.baseline["DETAIN"]
    assert added == len(xuar_ban.diff.flips) > 0


def test_without_the_2021_region_order_xinjiang_cotton_goes_free_until_the_uflpa(
    sample: list[ShipmentEvent],
) -> None:
    since, until = datetime(2020, 12, 15, tzinfo=UTC), datetime(2022, 8, 1, tzinfo=UTC)
    events = [e for e in sample if since <= e.event_time < until]
    result = what_if(events, load_seed(), (), drop=["region-2021-xuar-cotton-tomato"])
    when = sorted(
        e.event_time.date()
        for e in events
        if e.event_id in result.attributes
        and any(f.event_id == e.event_id for f in result.diff.flips)
    )
    assert when and all(f.after is Outcome.RELEASE for f in result.diff.flips)
    assert when[0] >= REAL_REGION_ORDER and when[-1] < date(2022, 6, 21)


def test_candidate_order_that_is_not_newer_is_refused() -> None:
    seed = load_seed()
    with pytest.raises(CandidateError, match="not newer"):
        candidate_book(seed, [seed[0]])


def test_unknown_candidate_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CandidateError, match=r"missing\.json"):
        read_orders(tmp_path / "missing.json")


def test_command_writes_summary_flips_chart_and_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], window_file: Callable[[str, str], Path]
) -> None:
    autumn = window_file("2020-08-01", "2021-02-01")
    main([str(autumn), "--until", "2021-01-13", "--out", str(tmp_path), "--quiet"])
    summary = loads((tmp_path / "summary.json").read_bytes())
    assert summary["flips"]["by_order"][CANDIDATE_ID]["RELEASE->DETAIN"] == summary["flipped"]
    assert min(summary["flips"]["by_month"]) == "2020-09"
    assert (tmp_path / "flips.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (tmp_path / "flips.html").read_text()
    assert "data:image/png;base64," in page and "Events that flip" in page
    rows = (tmp_path / "flips.jsonl").read_bytes().splitlines()
    assert len(rows) == summary["flipped"]
    assert "flip" in capsys.readouterr().out


def test_written_decisions_of_both_runs_feed_the_report_diff(
    tmp_path: Path, window_file: Callable[[str, str], Path]
) -> None:
    autumn = window_file("2020-09-01", "2021-01-01")
    main([str(autumn), "--out", str(tmp_path), "--quiet", "--write-decisions"])
    flipped = loads((tmp_path / "summary.json").read_bytes())["flipped"]
    report_main(
        [
            str(tmp_path / "baseline.jsonl"),
            "--diff",
            str(tmp_path / "candidate.jsonl"),
            "--json",
            str(tmp_path / "diff.json"),
        ]
    )
    assert loads((tmp_path / "diff.json").read_bytes())["flipped"] == flipped > 0


def test_xuar_ban_catches_the_shipments_in_transit_on_2020_09_14(
    xuar_ban: WhatIf, events: list[ShipmentEvent]
) -> None:
    """Ongoing screening in the what-if: the open shipments (last event within 45 days before the
    ban, no entry summary yet) that the ban detains as of its day get a superseding DETAIN, and
    no other shipment does. Reference: a plain scan of the history, screened as of that day."""
    issued = datetime(2020, 9, 14, tzinfo=UTC)
    book = candidate_book(load_seed(), read_orders(XUAR_BAN_2020_PATH))
    last: dict[str, ShipmentEvent] = {}
    for event in events:
        if event.event_time < issued:
            last[event.shipment_id] = event
    window = max(e.event_time for e in events if e.event_time < issued) - timedelta(days=45)
    expected = {
        shipment_id
        for shipment_id, event in last.items()
        if event.event_type != "entry_summary_filed"
        and event.event_time >= window
        and screen(event, book, decided_at=issued).outcome is Outcome.RELEASE
        and screen(event, book, decided_at=issued, as_of=issued).outcome is Outcome.DETAIN
    }
    caught = {d.shipment_id for d in xuar_ban.in_transit}

    assert expected and caught == expected
    for decision in xuar_ban.in_transit:
        assert decision.outcome is Outcome.DETAIN and decision.as_of == issued
        assert decision.supersedes and decision.cause and decision.cause.order_id == CANDIDATE_ID
