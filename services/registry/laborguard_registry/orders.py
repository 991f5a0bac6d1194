"""The order lifecycle as pure functions: each command takes the current order and returns the
next version (or raises a named error). Storing and publishing is the caller's business."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import ValidationError

from laborguard_contracts import LegalAction, Order, OrderKind, TimelineEvent, TimelineEventKind
from laborguard_contracts.errors import ContractError
from laborguard_registry.errors import ConflictError, InvalidChangeError, StaleVersionError

# What an amendment may not touch: identity, history and registry-owned fields.
FIXED_FIELDS = frozenset(
    {"order_id", "version", "kind", "timeline", "updated_at", "schema_version", "escalated_from"}
)
# Changing any of these changes what the order covers: the timeline records it as `modified`.
# Other fields (title, notes, sources...) are editorial and change the version only.
SCOPE_FIELDS = frozenset({"merchandise_scope", "hts_prefixes", "entities", "region", "action"})


class OrderStatus(StrEnum):
    PENDING = "pending"  # no event in effect yet at the date asked
    IN_FORCE = "in_force"
    REVOKED = "revoked"


def status_at(order: Order, at: date) -> OrderStatus:
    status = OrderStatus.PENDING
    for event in order.timeline:
        if event.effective > at:
            break
        if event.kind is TimelineEventKind.IN_FORCE:
            status = OrderStatus.IN_FORCE
        elif event.kind is TimelineEventKind.REVOKED:
            status = OrderStatus.REVOKED
    return status


def exempted_parties(order: Order, at: date) -> tuple[str, ...]:
    exempt: dict[str, str] = {}
    for event in order.timeline:
        if event.effective > at or event.party is None:
            continue
        if event.kind is TimelineEventKind.EXEMPTION_GRANTED:
            exempt[event.party.casefold()] = event.party
        elif event.kind is TimelineEventKind.EXEMPTION_ENDED:
            exempt.pop(event.party.casefold(), None)
    return tuple(exempt.values())


def names_entity(order: Order, text: str) -> bool:
    """Case-insensitive substring match on any listed name, alias or native name."""
    needle = text.casefold()
    return any(
        needle in name.casefold()
        for entity in order.entities
        for name in (entity.name, *entity.aliases, *entity.native_names)
    )


REGISTRY_OWNED = frozenset({"version", "updated_at"})


def same_content(left: Order, right: Order) -> bool:
    """Equal apart from what the registry assigns (version, commit time)."""
    owned = set(REGISTRY_OWNED)
    return left.model_dump(exclude=owned) == right.model_dump(exclude=owned)


def create(draft: Order) -> Order:
    """A new order (version 1). A Finding that escalates a WRO is made by `escalate`, which
    records the escalation on the WRO too; naming one here would skip that."""
    if draft.escalated_from is not None:
        message = "a Finding is made by escalating its WRO (POST /orders/{id}/escalate)"
        raise InvalidChangeError(message, "escalated_from")
    return _first_version(draft)


def recreate(draft: Order, known: Mapping[str, Order]) -> Order:
    """An order the registry never held, imported with its history (seed, CBP's table): an
    `escalated_from` must name a WRO the registry holds or the same import brings."""
    escalated = known.get(draft.escalated_from) if draft.escalated_from else None
    if draft.escalated_from is not None and (escalated is None or escalated.kind != OrderKind.WRO):
        message = f"{draft.escalated_from} is not a WRO held or imported with this order"
        raise InvalidChangeError(message, "escalated_from")
    return _first_version(draft)


def reimport(held: Order, incoming: Order) -> None:
    """An import of an order the registry holds changes nothing: identical, or refused (an
    existing order changes only through the lifecycle commands)."""
    if same_content(held, incoming):
        return
    differing = next(
        name
        for name in Order.model_fields
        if getattr(held, name) != getattr(incoming, name) and name not in REGISTRY_OWNED
    )
    raise ConflictError(
        f"order {held.order_id} exists and differs in {differing}; change it through "
        "amend, revoke, exemptions or escalate",
        differing,
    )


def _first_version(draft: Order) -> Order:
    return draft.model_copy(update={"version": 1, "updated_at": None})


@dataclass(frozen=True, kw_only=True)
class Recorded:
    """A lifecycle command made against `expected_version`; `action` and `detail()` are what
    the audit log records."""

    action: ClassVar[str]
    expected_version: int
    effective: date
    note: str = ""

    def detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "expected_version" or value is None:
                continue
            if isinstance(value, Mapping):
                value = sorted(value)  # amended field names, not their values
            detail[item.name] = value.isoformat() if isinstance(value, date) else value
        return detail


class Command(Recorded):
    """A change of one order: `decide` returns its next version."""

    def decide(self, order: Order) -> Order:
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class Amend(Command):
    action = "order_amended"
    changes: Mapping[str, Any] = field(default_factory=dict)

    def decide(self, order: Order) -> Order:
        return amend(order, self.changes, self.expected_version, self.effective, self.note)


@dataclass(frozen=True, kw_only=True)
class Revoke(Command):
    action = "order_revoked"
    produced_after: date | None = None

    def decide(self, order: Order) -> Order:
        version, effective = self.expected_version, self.effective
        return revoke(order, version, effective, self.produced_after, self.note)


@dataclass(frozen=True, kw_only=True)
class GrantExemption(Command):
    action = "exemption_granted"
    party: str

    def decide(self, order: Order) -> Order:
        version, effective = self.expected_version, self.effective
        return grant_exemption(order, version, self.party, effective, self.note)


@dataclass(frozen=True, kw_only=True)
class EndExemption(Command):
    action = "exemption_ended"
    party: str

    def decide(self, order: Order) -> Order:
        version, effective = self.expected_version, self.effective
        return end_exemption(order, version, self.party, effective, self.note)


@dataclass(frozen=True, kw_only=True)
class Escalate(Recorded):
    """The WRO's next version and the Finding it escalates to (two orders, one transaction)."""

    action = "order_escalated"
    finding_id: str
    hts_prefixes: tuple[str, ...] | None = None

    def decide(self, wro: Order) -> tuple[Order, Order]:
        version, effective, prefixes = self.expected_version, self.effective, self.hts_prefixes
        return escalate(wro, version, self.finding_id, effective, prefixes, self.note)


def amend(
    order: Order,
    changes: Mapping[str, Any],
    expected_version: int,
    effective: date,
    note: str = "",
) -> Order:
    _check_version(order, expected_version)
    if not changes:
        raise InvalidChangeError("an amendment needs at least one change", "changes")
    for name in changes:
        if name in FIXED_FIELDS:
            raise InvalidChangeError(f"{name} cannot be amended", f"changes.{name}")
    event = None
    if SCOPE_FIELDS.intersection(changes):
        event = _event("note", kind=TimelineEventKind.MODIFIED, effective=effective, note=note)
    return _next_version(order, dict(changes), event, prefix="changes")


def revoke(
    order: Order,
    expected_version: int,
    effective: date,
    produced_after: date | None = None,
    note: str = "",
) -> Order:
    _check_version(order, expected_version)
    if order.timeline[-1].kind is TimelineEventKind.REVOKED:
        raise InvalidChangeError(f"order {order.order_id} is already revoked", "order_id")
    event = _event(
        "effective",
        kind=TimelineEventKind.REVOKED,
        effective=effective,
        produced_after=produced_after,
        note=note,
    )
    return _next_version(order, {}, event)


def grant_exemption(
    order: Order, expected_version: int, party: str, effective: date, note: str = ""
) -> Order:
    _check_version(order, expected_version)
    if _is_exempt(order, party):
        raise InvalidChangeError(f"{party} is already exempt from {order.order_id}", "party")
    kind = TimelineEventKind.EXEMPTION_GRANTED
    event = _event("party", kind=kind, effective=effective, party=party, note=note)
    return _next_version(order, {}, event)


def end_exemption(
    order: Order, expected_version: int, party: str, effective: date, note: str = ""
) -> Order:
    _check_version(order, expected_version)
    if not _is_exempt(order, party):
        raise InvalidChangeError(f"{party} holds no exemption from {order.order_id}", "party")
    kind = TimelineEventKind.EXEMPTION_ENDED
    event = _event("party", kind=kind, effective=effective, party=party, note=note)
    return _next_version(order, {}, event)


def escalate(
    wro: Order,
    expected_version: int,
    finding_id: str,
    effective: date,
    hts_prefixes: tuple[str, ...] | None = None,
    note: str = "",
) -> tuple[Order, Order]:
    """A WRO escalated to a Finding: the WRO records it, the Finding (goods seized) begins."""
    _check_version(wro, expected_version)
    if wro.kind is not OrderKind.WRO:
        raise InvalidChangeError(f"{wro.order_id} is a {wro.kind.value}, not a WRO", "order_id")
    if finding_id == wro.order_id:
        raise InvalidChangeError("a Finding needs an id of its own", "finding_id")
    marker = note or f"escalated to Finding {finding_id}"
    modified = _event(
        "effective", kind=TimelineEventKind.MODIFIED, effective=effective, note=marker
    )
    updated_wro = _next_version(wro, {}, modified)
    finding = _validated(
        {
            **wro.model_dump(exclude={"timeline", "updated_at", "title"}),
            "order_id": finding_id,
            "version": 1,
            "kind": OrderKind.FINDING,
            "title": f"Finding: {wro.title.removeprefix('WRO: ')}",
            "action": LegalAction.SEIZE,
            "escalated_from": wro.order_id,
            "hts_prefixes": hts_prefixes if hts_prefixes is not None else wro.hts_prefixes,
            "timeline": (
                _event("effective", kind=TimelineEventKind.IN_FORCE, effective=effective),
            ),
        },
        prefix="",
    )
    return updated_wro, finding


def _check_version(order: Order, expected_version: int) -> None:
    if order.version != expected_version:
        raise StaleVersionError(
            f"order {order.order_id} is at version {order.version}, not {expected_version}",
            "expected_version",
        )


def _is_exempt(order: Order, party: str) -> bool:
    wanted = party.casefold()
    return any(p.casefold() == wanted for p in exempted_parties(order, date.max))


def _event(field: str, **values: Any) -> TimelineEvent:
    try:
        return TimelineEvent.model_validate(values)
    except ValidationError as exc:
        raise InvalidChangeError(ContractError.from_validation(exc).reason, field) from exc


def _next_version(
    order: Order, changes: dict[str, Any], event: TimelineEvent | None, prefix: str = ""
) -> Order:
    # The order's own field values, not a dump: validation then checks the changed fields and
    # the whole-order rules, and takes the unchanged nested models as they are (already valid).
    document = {**dict(order), **changes}
    timeline = order.timeline if event is None else _with_event(order.timeline, event)
    document.update(version=order.version + 1, updated_at=None, timeline=timeline)
    return _validated(document, prefix)


def _with_event(
    timeline: tuple[TimelineEvent, ...], event: TimelineEvent
) -> tuple[TimelineEvent, ...]:
    if event.effective < timeline[0].effective:
        start = timeline[0].effective.isoformat()
        raise InvalidChangeError(f"the order only took effect on {start}", "effective")
    # Keep the timeline in date order: a back-dated event goes after its same-day peers.
    position = sum(1 for existing in timeline if existing.effective <= event.effective)
    return (*timeline[:position], event, *timeline[position:])


def _validated(document: dict[str, Any], prefix: str) -> Order:
    try:
        return Order.model_validate(document)
    except ValidationError as exc:
        error = ContractError.from_validation(exc)
        field = error.field if error.field != "(message)" else "order"
        raise InvalidChangeError(error.reason, f"{prefix}.{field}" if prefix else field) from exc
