"""The KRaft cluster id the launcher formats its nodes with."""

from __future__ import annotations

import base64

import pytest

from laborguard_platform.apache_kafka import cluster_id

pytestmark = pytest.mark.unit


def test_a_cluster_id_is_16_bytes_and_never_starts_like_an_option() -> None:
    # one random id in 64 starts with "-", which kafka-storage took for an option: 2,000 draws
    # leave such an id unseen with a chance of 2e-14
    ids = [cluster_id() for _ in range(2000)]
    assert not [found for found in ids if found.startswith("-")]
    assert all(len(base64.urlsafe_b64decode(found + "==")) == 16 for found in ids)
