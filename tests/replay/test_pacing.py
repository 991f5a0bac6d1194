from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from laborguard_replay.errors import TimeWindowError
from laborguard_replay.pacing import Pace, Window, moment, wait_before
from laborguard_replay.settings import ReplaySettings

pytestmark = pytest.mark.unit

T0 = datetime(2020, 9, 14, tzinfo=UTC)


@pytest.mark.parametrize(
    ("offset", "inside"),
    [
        (timedelta(seconds=-1), False),
        (timedelta(0), True),
        (timedelta(days=30), True),
        (timedelta(days=121), False),
    ],
)
def test_window_includes_since_and_excludes_until(offset: timedelta, inside: bool) -> None:
    window = Window(since=T0, until=T0 + timedelta(days=121))
    assert window.contains(T0 + offset) is inside


def test_open_window_contains_everything() -> None:
    assert Window().contains(datetime(1999, 1, 1, tzinfo=UTC))


def test_window_compares_instants_across_time_zones() -> None:
    pacific = timezone(timedelta(hours=-7))
    window = Window(since=T0)
    assert not window.contains(datetime(2020, 9, 13, 16, 59, tzinfo=pacific))
    assert window.contains(datetime(2020, 9, 13, 17, 0, tzinfo=pacific))


def test_empty_window_is_refused() -> None:
    with pytest.raises(TimeWindowError, match="empty window"):
        Window(since=T0, until=T0)


def test_pace_divides_history_time_by_the_speed() -> None:
    a_day_per_second = Pace(86_400)
    assert a_day_per_second.offset(T0, T0 + timedelta(days=3)) == pytest.approx(3.0)


def test_as_fast_as_possible_makes_every_event_due_at_once() -> None:
    assert Pace(None).offset(T0, T0 + timedelta(days=300)) == 0.0


def test_an_event_earlier_than_the_first_is_due_immediately() -> None:
    assert Pace(1.0).offset(T0, T0 - timedelta(hours=1)) == 0.0


@pytest.mark.parametrize("speed", [0.0, -2.0])
def test_speed_must_be_positive(speed: float) -> None:
    with pytest.raises(TimeWindowError, match="speed"):
        Pace(speed)


@pytest.mark.parametrize(("due", "elapsed", "wait"), [(5.0, 2.0, 3.0), (2.0, 5.0, 0.0)])
def test_wait_before_never_goes_negative(due: float, elapsed: float, wait: float) -> None:
    assert wait_before(due, elapsed) == wait


def test_moment_without_offset_is_utc_and_with_offset_is_kept() -> None:
    assert moment("2020-09-14") == T0
    assert moment("2020-09-14T00:00:00-07:00").utcoffset() == timedelta(hours=-7)


def test_moment_that_is_not_a_date_names_the_value() -> None:
    with pytest.raises(TimeWindowError, match="'Sept 14'"):
        moment("Sept 14")


def test_settings_read_the_shared_bootstrap_and_the_replay_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LABORGUARD_KAFKA_BOOTSTRAP", "kafka:9092")
    monkeypatch.setenv("LABORGUARD_REPLAY_SHIPMENTS_TOPIC", "shipments.replay")
    settings = ReplaySettings()
    assert (settings.kafka_bootstrap, settings.shipments_topic) == (
        "kafka:9092",
        "shipments.replay",
    )


def test_settings_refuse_an_empty_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORGUARD_REPLAY_BATCH_SIZE", "0")
    with pytest.raises(ValidationError, match="batch_size"):
        ReplaySettings()
