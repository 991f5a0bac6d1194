"""Dead letters: a shipment record the screener could not decide, kept with why and where from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from laborguard_contracts import Decision

# Long enough for a validation message, short enough for a Kafka header.
_MAX_ERROR_CHARS = 1000


class DeadLetterReason(StrEnum):
    INVALID_JSON = "invalid_json"  # not JSON, or not UTF-8
    INVALID_CONTRACT = "invalid_contract"  # JSON, but not a valid ShipmentEvent
    SCREENING_ERROR = "screening_error"  # a valid event the engine failed on


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """Where a record was read: what a dead letter must name so it can be found and replayed."""

    topic: str
    partition: int
    offset: int

    def headers(self) -> list[tuple[str, bytes]]:
        return [
            ("source_topic", self.topic.encode()),
            ("source_partition", str(self.partition).encode()),
            ("source_offset", str(self.offset).encode()),
        ]


@dataclass(frozen=True, slots=True)
class DeadLetter:
    reason: DeadLetterReason
    error: str
    # An invalid event that names its shipment also gets a REFER decision (referral.py), encoded.
    referral: Decision | None = None
    referral_value: bytes | None = None

    def headers(self, source: SourceRecord) -> list[tuple[str, bytes]]:
        return [
            ("error", self.error[:_MAX_ERROR_CHARS].encode("utf-8", "replace")),
            ("reason", self.reason.value.encode()),
            *source.headers(),
        ]
