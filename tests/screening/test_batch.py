"""The `screen` console command: files in, decisions and a summary out, bad lines reported."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from laborguard_contracts.codec import encode, loads
from laborguard_contracts.seed import load_seed
from laborguard_screener.batch import main

from .builders import shipment
from .evalset import eval_orders, load_cases

pytestmark = pytest.mark.unit

LISTED = shipment("Lop County Hair Product Industrial Park", hts="6704200000")
CLEAN = shipment("Acme Widget Factory", hts="8471300100")
BAD_HTS = encode(CLEAN).replace(b'"8471300100"', b'"84"')


def write_lines(path: Path, lines: list[bytes]) -> Path:
    data = b"\n".join(lines) + b"\n"
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def test_decides_a_gzipped_file_and_summarises(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipments = write_lines(tmp_path / "shipments.jsonl.gz", [encode(LISTED), b"", encode(CLEAN)])
    out = tmp_path / "decisions.jsonl"
    assert main([str(shipments), "--out", str(out)]) == 0
    decisions = [loads(line) for line in out.read_bytes().splitlines()]
    assert [d["outcome"] for d in decisions] == ["DETAIN", "RELEASE"]
    summary = capsys.readouterr().err
    assert "DETAIN: 1" in summary and "RELEASE: 1" in summary
    assert "wro-2020-lop-county-hair-industrial-park: 1" in summary


def test_bad_line_stops_the_run_naming_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipments = write_lines(tmp_path / "s.jsonl", [encode(CLEAN), BAD_HTS, encode(LISTED)])
    assert main([str(shipments), "--out", str(tmp_path / "d.jsonl")]) == 2
    error = capsys.readouterr().err
    assert "s.jsonl:2: lines.0.hts_code" in error


def test_keep_going_writes_rejects_and_decides_the_rest(tmp_path: Path) -> None:
    lines = [encode(CLEAN), BAD_HTS, b"{not json", encode(LISTED)]
    shipments = write_lines(tmp_path / "s.jsonl", lines)
    out, rejects = tmp_path / "d.jsonl", tmp_path / "rejects.jsonl"
    args = [str(shipments), "--out", str(out), "--keep-going", "--rejects", str(rejects)]
    assert main(args) == 0
    assert len(out.read_bytes().splitlines()) == 2
    rejected = [loads(line) for line in rejects.read_bytes().splitlines()]
    assert [(r["line"], r["field"]) for r in rejected] == [
        (2, "lines.0.hts_code"),
        (3, "(message)"),
    ]
    assert rejected[0]["raw"] == BAD_HTS.decode()


def test_keep_going_starts_a_fresh_rejects_file_every_run(tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    rejects.write_text('{"line": 9, "from": "an earlier run"}\n')
    shipments = write_lines(tmp_path / "s.jsonl", [encode(CLEAN)])
    args = [str(shipments), "--out", str(tmp_path / "d.jsonl"), "--keep-going"]
    assert main([*args, "--rejects", str(rejects)]) == 0
    assert rejects.read_bytes() == b""


def test_reject_reason_does_not_count_the_knock_on_error_of_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # an item failing leaves `lines` empty (too short): one mistake, not two
    shipments = write_lines(tmp_path / "s.jsonl", [BAD_HTS])
    assert main([str(shipments), "--out", str(tmp_path / "d.jsonl")]) == 2
    error = capsys.readouterr().err
    assert "lines.0.hts_code" in error and "more error" not in error


def test_writes_decisions_into_a_directory_it_creates(tmp_path: Path) -> None:
    shipments = write_lines(tmp_path / "s.jsonl", [encode(LISTED)])
    out = tmp_path / "new" / "dir" / "decisions.jsonl"
    assert main([str(shipments), "--out", str(out)]) == 0
    assert loads(out.read_bytes())["outcome"] == "DETAIN"


def test_reads_orders_as_json_array_or_jsonl_and_decides_as_of(tmp_path: Path) -> None:
    orders = [o.model_dump(mode="json", exclude_none=True) for o in load_seed()]
    array = tmp_path / "orders.json"
    array.write_text(json.dumps(orders))
    jsonl = tmp_path / "orders.jsonl"
    jsonl.write_text("\n".join(json.dumps(o) for o in orders))
    early = shipment("Lop County Hair Product Industrial Park", when="2019-01-01T00:00:00Z")
    shipments = write_lines(tmp_path / "s.jsonl", [encode(early)])
    for path in (array, jsonl):
        out = tmp_path / f"{path.suffix}.out"
        base = [str(shipments), "--orders", str(path), "--out", str(out)]
        assert main(base) == 0
        assert loads(out.read_bytes())["outcome"] == "RELEASE"
        assert main([*base, "--as-of", "2024-01-01T00:00:00+00:00"]) == 0
        assert loads(out.read_bytes())["outcome"] == "DETAIN"


def test_bad_order_file_is_reported_with_its_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "orders.jsonl"
    orders.write_text('{"order_id": "x"}\n')
    shipments = write_lines(tmp_path / "s.jsonl", [encode(CLEAN)])
    assert main([str(shipments), "--orders", str(orders)]) == 2
    assert "orders.jsonl:1:" in capsys.readouterr().err


def test_missing_input_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.jsonl")]) == 2
    assert "cannot open" in capsys.readouterr().err


def test_decides_the_labelled_evaluation_set_as_labelled(tmp_path: Path) -> None:
    cases = load_cases()
    shipments = write_lines(tmp_path / "eval.jsonl", [encode(case.event) for case in cases])
    orders = tmp_path / "orders.jsonl"
    orders.write_bytes(b"\n".join(encode(order) for order in eval_orders()))
    out = tmp_path / "decisions.jsonl"
    assert main([str(shipments), "--orders", str(orders), "--out", str(out)]) == 0
    decided = [loads(line) for line in out.read_bytes().splitlines()]
    got = [(d["outcome"], {m["order_id"] for m in d.get("matches", [])}) for d in decided]
    assert got == [(case.expected_outcome, set(case.expected_orders)) for case in cases]
