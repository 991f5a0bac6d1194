"""`make run KAFKA=apache` (`laborguard stack --kafka apache`): the same stack and summary on a
local Apache Kafka, which is stopped with everything else."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e.conftest import start_stack
from e2e.processes import processes_mentioning
from e2e.test_stack import _decided

pytestmark = pytest.mark.e2e


def test_the_stack_runs_on_a_local_apache_kafka_and_stops_it(tmp_path: Path) -> None:
    under_test = start_stack(
        tmp_path, "--kafka=apache", "--exit-after-replay", "--replay-limit=300", workers=1
    )
    assert under_test.running.wait_exit(240) == 0, under_test.running.output
    output = under_test.running.output
    assert f"{under_test.bootstrap} (Apache Kafka)" in output
    assert _decided(output) == (300, 300)
    assert "Stopped; nothing left running." in output
    assert processes_mentioning(str(tmp_path / "kafka")) == []  # the broker's JVM is gone
