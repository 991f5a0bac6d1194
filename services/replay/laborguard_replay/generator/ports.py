"""US ports of entry (CBP Schedule D codes) with their time zones and a rough share of volume."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Port:
    code: str
    name: str
    tz: str
    weight: float  # relative share of the synthetic entries


PORTS = (
    Port("2704", "Los Angeles, CA", "America/Los_Angeles", 20),
    Port("2709", "Long Beach, CA", "America/Los_Angeles", 17),
    Port("1001", "New York, NY", "America/New_York", 8),
    Port("4601", "Newark, NJ", "America/New_York", 8),
    Port("1703", "Savannah, GA", "America/New_York", 9),
    Port("5301", "Houston, TX", "America/Chicago", 7),
    Port("3001", "Seattle, WA", "America/Los_Angeles", 4),
    Port("3002", "Tacoma, WA", "America/Los_Angeles", 4),
    Port("1601", "Charleston, SC", "America/New_York", 5),
    Port("1401", "Norfolk, VA", "America/New_York", 5),
    Port("2811", "Oakland, CA", "America/Los_Angeles", 4),
    Port("1303", "Baltimore, MD", "America/New_York", 2),
    Port("5203", "Port Everglades, FL", "America/New_York", 2),
    Port("2002", "New Orleans, LA", "America/Chicago", 2),
    Port("3901", "Chicago, IL", "America/Chicago", 2),
    Port("4701", "JFK Airport, NY", "America/New_York", 1),
)
PORT_BY_CODE = {port.code: port for port in PORTS}
