from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from laborguard_contracts import (
    Decision,
    Evidence,
    LegalAction,
    MatchRule,
    OrderKind,
    OrderMatch,
    Outcome,
)
from laborguard_contracts.codec import encode, loads
from laborguard_replay import decisions
from laborguard_replay.attributes import Attributes
from laborguard_replay.diffing import TO_DETAIN, TO_RELEASE, diff, tally_flips
from laborguard_replay.report import main
from laborguard_replay.tallies import tally
from laborguard_replay.verdicts import Verdict

from .collected import decided

pytestmark = pytest.mark.unit


def _decision(event: str, outcome: Outcome, *orders: str, month: int = 10) -> Decision:
    at = datetime(2020, month, 5, tzinfo=UTC)
    evidence = Evidence(
        line_number=1,
        rule=MatchRule.POSTAL_CODE,
        subject="lines[0]",
        observed="848200",
        matched="84",
    )
    matches = tuple(
        OrderMatch(
            order_id=o,
            order_version=1,
            kind=OrderKind.WRO,
            action=LegalAction.DETAIN,
            evidence=(evidence,),
        )
        for o in orders
    )
    return decided(event, outcome, at, matches)


def _verdicts(run: dict[str, Decision]) -> dict[str, Verdict]:
    return {event_id: Verdict.of(decision) for event_id, decision in run.items()}


ATTRS = {
    "A-entry": Attributes("2020-10", "2704", ("61", "62")),
    "A-isf": Attributes("2020-09", "2704", ("61",)),
    "B-entry": Attributes("2020-10", "1001", ("85",)),
}


def test_tally_counts_by_month_port_chapter_and_order() -> None:
    run = {
        "A-isf": _decision("A-isf", Outcome.RELEASE, month=9),
        "A-entry": _decision("A-entry", Outcome.DETAIN, "wro-x", "region-y"),
        "B-entry": _decision("B-entry", Outcome.RELEASE),
    }
    result = tally(_verdicts(run), ATTRS)
    assert result.outcomes == {"DETAIN": 1, "RELEASE": 2, "REFER": 0}
    assert result.by_month == {
        "2020-09": {"DETAIN": 0, "RELEASE": 1, "REFER": 0},
        "2020-10": {"DETAIN": 1, "RELEASE": 1, "REFER": 0},
    }
    assert result.by_port["2704"] == {"DETAIN": 1, "RELEASE": 1, "REFER": 0}
    assert result.by_chapter["62"] == {
        "DETAIN": 1,
        "RELEASE": 0,
        "REFER": 0,
    }  # a line of each chapter
    assert result.by_chapter["61"] == {"DETAIN": 1, "RELEASE": 1, "REFER": 0}
    assert result.by_order == {"wro-x": 1, "region-y": 1}
    assert (result.shipments, result.shipments_detained) == (2, 1)


def test_decision_without_its_event_is_grouped_by_its_own_month() -> None:
    result = tally(_verdicts({"C-entry": _decision("C-entry", Outcome.DETAIN, "o", month=3)}), {})
    assert result.by_month == {"2020-03": {"DETAIN": 1, "RELEASE": 0, "REFER": 0}}
    assert result.by_port == {"?": {"DETAIN": 1, "RELEASE": 0, "REFER": 0}}


def test_redelivered_event_counts_once_with_its_last_decision() -> None:
    run = decisions.of(
        [_decision("A-entry", Outcome.RELEASE), _decision("A-entry", Outcome.DETAIN, "o")]
    )
    assert run.duplicates == 1
    assert run.verdicts["A-entry"].outcome is Outcome.DETAIN


def test_diff_separates_flips_order_changes_and_missing_events() -> None:
    before = {
        "A-entry": _decision("A-entry", Outcome.RELEASE),
        "A-isf": _decision("A-isf", Outcome.DETAIN, "wro-x"),
        "B-entry": _decision("B-entry", Outcome.DETAIN, "wro-x"),
        "gone": _decision("gone", Outcome.RELEASE),
    }
    after = {
        "A-entry": _decision("A-entry", Outcome.DETAIN, "cand"),
        "A-isf": _decision("A-isf", Outcome.DETAIN, "cand", "wro-x"),
        "B-entry": _decision("B-entry", Outcome.RELEASE),
        "new": _decision("new", Outcome.RELEASE),
    }
    result = diff(_verdicts(before), _verdicts(after))
    assert [c.event_id for c in result.changes] == ["A-entry", "A-isf", "B-entry"]
    assert [(f.event_id, f.direction) for f in result.flips] == [
        ("A-entry", TO_DETAIN),
        ("B-entry", TO_RELEASE),
    ]
    assert (result.only_before, result.only_after) == (("gone",), ("new",))
    flips = tally_flips(result.flips, ATTRS)
    assert flips.by_order == {"cand": {TO_DETAIN: 1}, "wro-x": {TO_RELEASE: 1}}
    assert flips.by_port == {"2704": {TO_DETAIN: 1}, "1001": {TO_RELEASE: 1}}


def test_identical_runs_have_no_changes() -> None:
    run = {"A-entry": _decision("A-entry", Outcome.DETAIN, "b", "a")}
    assert diff(_verdicts(run), _verdicts(dict(run))).changes == ()


def _write(path: Path, items: list[Decision]) -> Path:
    path.write_bytes(b"".join(encode(d) + b"\n" for d in items))
    return path


def test_report_command_writes_text_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _write(
        tmp_path / "run.jsonl",
        [_decision("A-entry", Outcome.DETAIN, "wro-x"), _decision("B-entry", Outcome.RELEASE)],
    )
    main([str(run), "--json", str(tmp_path / "r.json")])
    assert "2 decisions: 1 DETAIN, 1 RELEASE" in capsys.readouterr().out
    document = loads((tmp_path / "r.json").read_bytes())
    assert document["by_order"] == {"wro-x": 1}
    assert document["by_month"]["2020-10"] == {"DETAIN": 1, "RELEASE": 1, "REFER": 0}


def test_report_diff_command_lists_the_flipped_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _write(tmp_path / "a.jsonl", [_decision("A-entry", Outcome.RELEASE)])
    second = _write(tmp_path / "b.jsonl", [_decision("A-entry", Outcome.DETAIN, "cand")])
    main([str(first), "--diff", str(second), "--json", str(tmp_path / "d.json")])
    assert "A-entry" in capsys.readouterr().out
    assert loads((tmp_path / "d.json").read_bytes())["flips"]["events"] == {TO_DETAIN: 1}


def test_bad_decisions_line_is_reported_with_its_line_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(encode(_decision("A-entry", Outcome.RELEASE)) + b'\n{"outcome": 1}\n')
    with pytest.raises(SystemExit) as caught:
        main([str(path)])
    assert caught.value.code == 2
    assert f"{path}:2:" in capsys.readouterr().err
