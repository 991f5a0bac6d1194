"""The bundled data: a small synthetic history and the ready-made what-if candidates."""

from __future__ import annotations

from pathlib import Path

from laborguard_replay.generator.stream import HistorySpec

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_SPEC = HistorySpec(seed=7, count=4000)
SAMPLE_PATH = DATA / "sample_shipments.jsonl.gz"
# The region-wide Xinjiang ban considered in September 2020, as if issued on 2020-09-14.
XUAR_BAN_2020_PATH = DATA / "candidate_xuar_region_ban_2020-09-14.json"
