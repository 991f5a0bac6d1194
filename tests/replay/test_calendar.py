from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from laborguard_replay.generator.calendar import calendar, moment_at, working_hours

pytestmark = pytest.mark.unit

START, END = datetime(2019, 2, 10, tzinfo=UTC), datetime(2025, 12, 20, tzinfo=UTC)


def test_spread_is_monotone_and_covers_the_span() -> None:
    cal = calendar(START, END)
    moments = [moment_at(cal, i / 5000) for i in range(5001)]
    assert moments == sorted(moments)
    assert moments[0] == START and moments[-1] == END


def test_autumn_is_busier_than_february_and_spring_2020_collapses() -> None:
    cal = calendar(START, END)
    months = Counter(moment_at(cal, (i + 0.5) / 20000).strftime("%Y-%m") for i in range(20000))
    assert months["2021-09"] > 1.25 * months["2021-02"]
    assert months["2020-04"] < months["2019-04"]


@pytest.mark.parametrize("hour", [0, 3, 12, 23])
def test_filings_fall_in_working_hours_on_the_same_local_day(hour: int) -> None:
    local = datetime(2020, 11, 1, hour, 59, tzinfo=ZoneInfo("America/Los_Angeles"))
    moved = working_hours(local)
    assert 7 <= moved.hour < 19 and moved.date() == local.date()
