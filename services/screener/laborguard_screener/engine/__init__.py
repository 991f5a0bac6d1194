"""The screening engine: the pure decision `screening.screen(...)` and the order book it reads.

Imports only the standard library, rapidfuzz, the contracts and itself (tests/test_layers.py):
no Kafka, no faust, no metrics, no clock. The faust edge (app, shipments, transport, orderstate)
and the batch command (batch, batchfiles, summary) sit beside it in laborguard_screener.
"""
