"""The orders system of record: versioned storage, audit, HTTP API and an outbox relay to Kafka."""
