"""Deterministic synthetic shipment history: catalogues, parties, listed entities, events."""
