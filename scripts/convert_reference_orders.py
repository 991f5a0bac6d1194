"""One-off conversion of the shared reference orders into the project's seed file.

Run from the repo root with the shared folder beside it:
    python scripts/convert_reference_orders.py ../shared/data/orders_reference.json

The reference file records lifecycle steps as free text ("modified; goods admissible"); here
each step becomes a typed timeline event. The judgement calls are listed in LIFECYCLE below,
one line per order, so a reader can check them against the sources.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from laborguard_contracts.codec import loads, pretty
from laborguard_contracts.order import Order
from laborguard_contracts.seed import SEED_PATH

# The UFLPA Entity List was first published on this date; entries without a listing date in the
# source are taken to be in force from it (said in the order's notes).
UFLPA_LIST_PUBLISHED = "2022-06-21"

# Free-text "modified" steps that lift the order for everyone: goods became admissible.
LIFTED = {
    ("wro-2020-top-glove", "2021-09-10"),
    ("finding-2021-top-glove", "2021-09-10"),
    ("wro-2020-fgv-holdings-palm-oil", "2026-01-15"),
    ("wro-2020-sime-darby-palm-oil", "2023-02-03"),
    ("finding-2022-sime-darby", "2023-02-03"),
    ("wro-2021-supermax-gloves", "2023-09-18"),
    ("wro-2021-brightway-gloves", "2024-10-11"),
}
# Steps that exempt one party while the order stays in force for everyone else.
EXEMPTIONS = {("wro-2019-drc-artisanal-gold", "2020-05-28"): "Chambers Federation"}
ESCALATIONS = {
    "finding-2021-top-glove": "wro-2020-top-glove",
    "finding-2022-sime-darby": "wro-2020-sime-darby-palm-oil",
}
CJK = re.compile(r"[\u3000-\u9fff]")
PRODUCED_AFTER = re.compile(r"(?:made|manufactured|produced) after (\d{4}-\d{2}-\d{2})")
KIND_LABEL = {
    "wro": "WRO",
    "finding": "Finding",
    "entity_list": "UFLPA Entity List",
    "region_order": "Region-wide order",
}


def convert_entity(entity: dict[str, Any]) -> dict[str, Any]:
    names = entity["aliases"]
    return {
        "name": entity["name"],
        "aliases": [a for a in names if not CJK.search(a)],
        "native_names": [a for a in names if CJK.search(a)],
        "country": entity.get("country"),
        "region": entity.get("region"),
    }


def convert_step(order_id: str, step: dict[str, Any]) -> dict[str, Any]:
    key = (order_id, step["date"])
    event: dict[str, Any] = {"effective": step["date"], "note": step["note"]}
    if key in EXEMPTIONS:
        return {**event, "kind": "exemption_granted", "party": EXEMPTIONS[key]}
    if step["status"] == "revoked" or key in LIFTED:
        found = PRODUCED_AFTER.search(step["note"])
        return {**event, "kind": "revoked", "produced_after": found.group(1) if found else None}
    return {**event, "kind": "modified"}


def convert_timeline(raw: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    steps = sorted(raw["status_history"], key=lambda s: s["date"])
    issued, note = raw["issued"], ""
    if issued is None:
        issued = UFLPA_LIST_PUBLISHED
        note = f"Listing date not in the source; taken as in force from {issued}."
    first = {"kind": "in_force", "effective": issued, "note": ""}
    timeline = [first]
    for step in steps:
        if step["date"] <= issued and step["status"] == "active":
            first["note"] = step["note"]  # the issuing step itself
        else:
            timeline.append(convert_step(raw["id"], step))
    return timeline, note


def convert(raw: dict[str, Any]) -> dict[str, Any]:
    timeline, assumed = convert_timeline(raw)
    names = "; ".join(e["name"] for e in raw["entities"])
    return {
        "order_id": raw["id"],
        "version": 1,
        "kind": raw["kind"],
        "title": f"{KIND_LABEL[raw['kind']]}: {names}"[:500],
        "merchandise_scope": raw["product_scope"],
        "hts_prefixes": raw["hts_prefixes"],
        "entities": [convert_entity(e) for e in raw["entities"]],
        "region": raw["region"],
        "action": "seize" if raw["kind"] == "finding" else "detain",
        "timeline": timeline,
        "escalated_from": ESCALATIONS.get(raw["id"]),
        "section": raw["section"],
        "confidence": raw["confidence"],
        "source": raw["source"],
        "other_sources": raw.get("other_sources") or [],
        "notes": " ".join(part for part in (raw.get("notes") or "", assumed) if part),
    }


def main() -> None:
    reference = loads(Path(sys.argv[1]).read_bytes())
    orders = [Order.model_validate(convert(raw)) for raw in reference]
    documents = [o.model_dump(mode="json", exclude_none=True) for o in orders]
    SEED_PATH.write_text(pretty(documents), encoding="utf-8")
    print(f"wrote {len(orders)} orders to {SEED_PATH}")


if __name__ == "__main__":
    main()
