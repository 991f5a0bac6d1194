"""A Prometheus histogram for a hot path that runs on one thread: no lock per observation.

prometheus_client's `Histogram.observe` takes a lock for the sum and another for the bucket
(~2.5 us per observation here); the screener observes two histograms per shipment. The worker
screens and serves `/metrics` on one event loop, so plain integers suffice. It exports the same
series (`_bucket` with the same `le` labels, `_sum`, `_count`) as prometheus_client's histogram.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from math import inf

from prometheus_client.core import REGISTRY, CollectorRegistry, HistogramMetricFamily, Metric
from prometheus_client.utils import floatToGoString


class LoopHistogram:
    """Observed and collected from one thread only (the worker's event loop)."""

    def __init__(
        self,
        name: str,
        documentation: str,
        buckets: Sequence[float],
        registry: CollectorRegistry = REGISTRY,
    ) -> None:
        self.name = name
        self.documentation = documentation
        self._bounds = sorted(float(bound) for bound in buckets if bound != inf)
        # prometheus_client's own formatting of a bound ("1e-05", "0.005"), for identical labels
        self._labels = [_le(bound) for bound in self._bounds] + ["+Inf"]
        self._counts = [0] * (len(self._bounds) + 1)  # the last one: above every bound
        self._sum = 0.0
        registry.register(self)

    def observe(self, value: float) -> None:
        # bucket i counts values <= bound i: the first bound not below the value
        self._counts[bisect_left(self._bounds, value)] += 1
        self._sum += value

    def collect(self) -> Iterator[Metric]:
        cumulative = itertools.accumulate(self._counts)
        yield HistogramMetricFamily(
            self.name,
            self.documentation,
            buckets=list(zip(self._labels, cumulative, strict=True)),
            sum_value=self._sum,
        )

    def describe(self) -> Iterator[Metric]:
        yield HistogramMetricFamily(self.name, self.documentation)


def _le(bound: float) -> str:
    label: str = floatToGoString(bound)  # type: ignore[no-untyped-call]
    return label
