"""Helpers shared by the test suite and the bench scripts: worker processes, shipment factory,
topic readers, streaming and failover runs. Not shipped; not test modules themselves."""
