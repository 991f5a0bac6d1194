from __future__ import annotations

import gzip
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import pytest

from laborguard_contracts import ShipmentEvent
from laborguard_contracts.codec import dumps, loads
from laborguard_replay import history
from laborguard_replay.errors import HistoryError
from laborguard_replay.pacing import Pace, Window, moment
from laborguard_replay.replay import main as replay_main
from laborguard_replay.samples import SAMPLE_PATH
from laborguard_replay.schedule import Tally, records, sends

pytestmark = pytest.mark.unit


def _first_events(count: int) -> list[bytes]:
    return [raw for _, raw in islice(history.raw_lines(SAMPLE_PATH), count)]


def _write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    return path


def test_bad_line_error_names_file_line_and_field(tmp_path: Path) -> None:
    good = _first_events(2)
    bad = dumps({"event_id": "x"})
    path = _write(tmp_path / "h.jsonl.gz", [good[0], bad, good[1]])
    with pytest.raises(HistoryError) as caught:
        list(history.read(path, ShipmentEvent))
    assert caught.value.line == 2
    assert caught.value.field in {"shipment_id", "event_type", "event_time"}
    assert str(path) in str(caught.value)


def test_skip_invalid_keeps_every_good_line_and_reports_the_bad(tmp_path: Path) -> None:
    good = _first_events(3)
    path = _write(tmp_path / "h.jsonl.gz", [good[0], b"{not json", good[1], good[2]])
    tally = Tally()
    kept = [r.raw for r in records(path, tally, skip_invalid=True)]
    assert kept == good
    assert [e.line for e in tally.invalid] == [2]


def test_sends_carry_the_original_bytes_keyed_by_shipment_id(tmp_path: Path) -> None:
    good = _first_events(5)
    path = _write(tmp_path / "h.jsonl.gz", good)
    tally = Tally()
    planned = list(sends(records(path, tally, skip_invalid=False), Window(), Pace(None), tally))
    assert [s.value for s in planned] == good
    assert planned[0].key == ShipmentEvent.model_validate_json(good[0]).shipment_id.encode()


def test_sends_outside_the_window_are_counted_not_sent(
    window_file: Callable[[str, str], Path],
) -> None:
    path = window_file("2020-08-01", "2021-03-01")
    tally = Tally()
    window = Window(moment("2020-09-14"), moment("2021-01-13"))
    planned = list(sends(records(path, tally, skip_invalid=False), window, Pace(86_400), tally))
    assert planned and tally.outside_window > 0
    assert len(planned) + tally.outside_window == tally.read
    assert planned[0].due == 0.0
    assert planned[-1].due == pytest.approx(120, abs=1.0)  # ~120 days at a day per second


def test_written_history_reads_back_identically(tmp_path: Path) -> None:
    events = [r.message for r in islice(history.read(SAMPLE_PATH, ShipmentEvent), 50)]
    path = tmp_path / "copy.jsonl"
    assert history.write(path, events) == 50
    assert list(history.read_events(path)) == events


def test_unvalidated_replay_passes_a_bad_line_on_but_still_needs_key_and_time(
    tmp_path: Path,
) -> None:
    event = loads(_first_events(1)[0])
    wrong_hts = dumps({**event, "lines": [{**event["lines"][0], "hts_code": "61A9"}]})
    no_time = dumps({k: v for k, v in event.items() if k != "event_time"})
    path = _write(tmp_path / "h.jsonl.gz", [wrong_hts, no_time])
    tally = Tally()
    with pytest.raises(HistoryError) as caught:
        for record in records(path, tally, skip_invalid=False, validate=False):
            assert record.raw == wrong_hts  # goes on to the screener's dead-letter topic
    assert (caught.value.line, caught.value.field) == (2, "event_time")


def test_missing_history_file_is_one_line_error_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        replay_main([str(tmp_path / "none.jsonl.gz"), "--as-fast-as-possible"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.startswith("laborguard replay: error: ")


def test_pacing_is_required_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        replay_main([str(SAMPLE_PATH)])
    assert "--speed" in capsys.readouterr().err
