"""Mapping files (TOML): which columns of an event log or ticket CSV mean what.

A mapping names the case id, status/activity, timestamp (+ format and zone), priority,
group and resource columns, and which source statuses pause or stop the clocks. A
misspelt key is refused with the key's name and the closest valid key. The shipped
mappings live in ``servicegate/importers/mappings/`` and can be named without path
(``--mapping bpi2013-volvo-it``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from servicegate.importers.dates import DateParser, format_parser, zone
from servicegate.importers.errors import ImportFailure, closest
from servicegate.operations.choices import Channel, Priority, TicketKind, TicketStatus

SHIPPED = Path(__file__).resolve().parent / "mappings"

SCHEMA: dict[str, dict[str, type] | type] = {
    "format": str,
    "source": str,
    "description": str,
    "file": {"member": str, "delimiter": str, "encoding": str},
    "columns": {
        "id": str,
        "number": str,
        "timestamp": str,
        "status": str,
        "priority": str,
        "group": str,
        "resource": str,
        "category": str,
        "opened": str,
        "responded": str,
        "resolved": str,
        "closed": str,
        "kind": str,
        "channel": str,
        "made_sla": str,
    },
    "timestamp": {"format": str, "timezone": str},
    "priority": {"map": dict},
    "statuses": {"pause": list, "stop": list, "map": dict},
    "ticket": {"kind": str, "channel": str},
}
# Source statuses that mean the same everywhere; anything unmapped counts as in progress.
SYNONYMS = {
    "open": TicketStatus.NEW,
    "opened": TicketStatus.NEW,
    "created": TicketStatus.NEW,
    "canceled": TicketStatus.CANCELLED,
    "completed": TicketStatus.RESOLVED,
    "done": TicketStatus.RESOLVED,
}
REQUIRED_COLUMNS = {"events": ("id", "timestamp", "status"), "tickets": ("id", "opened")}


@dataclass
class Mapping:
    """A validated mapping file."""

    path: Path
    format: str
    source: str
    columns: dict[str, str]
    member: str = ""
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    timestamp_format: str = "iso"
    timezone: str = "UTC"
    priority_map: dict[str, str] = field(default_factory=dict)
    pause: frozenset[str] = frozenset()
    stop: frozenset[str] = frozenset()
    status_map: dict[str, str] = field(default_factory=dict)
    kind: str = TicketKind.INCIDENT
    channel: str = Channel.REMOTE

    def status_of(self, raw: str) -> str:
        """The Servicegate status of the source status ``raw``."""
        mapped = self.status_map.get(raw)
        if mapped:
            return mapped
        lower = raw.lower()
        if raw in self.stop:
            if "clos" in lower:
                return TicketStatus.CLOSED
            return TicketStatus.CANCELLED if "cancel" in lower else TicketStatus.RESOLVED
        if raw in self.pause:
            return (
                TicketStatus.AWAITING_VENDOR
                if "vendor" in lower
                else (TicketStatus.AWAITING_CUSTOMER)
            )
        for value, label in TicketStatus.choices:
            if lower in {value, str(label).lower()}:
                return value
        return SYNONYMS.get(lower, TicketStatus.IN_PROGRESS)

    def priority_of(self, raw: str) -> str:
        """The P1–P4 priority of the source value ``raw`` ('' when unmapped)."""
        mapped = self.priority_map.get(raw, "")
        if mapped:
            return mapped
        return raw if raw in Priority.values else ""


def resolve(name: str) -> Path:
    """A mapping path, or the shipped mapping of that name."""
    path = Path(name)
    if path.exists():
        return path
    shipped = SHIPPED / (name if name.endswith(".toml") else f"{name}.toml")
    if shipped.exists():
        return shipped
    names = ", ".join(sorted(p.stem for p in SHIPPED.glob("*.toml")))
    raise ImportFailure(
        f"{name}: no such mapping file; give a path to a TOML file or one of the shipped"
        f" mappings: {names}."
    )


def load(name: str, *, expected_format: str) -> Mapping:
    """Read and validate the mapping ``name`` for an import of ``expected_format``."""
    path = resolve(name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ImportFailure(f"{path.name}: not valid TOML ({exc}); correct the file.") from None
    _check_keys(path, data)
    fmt = data.get("format", expected_format)
    if fmt != expected_format:
        raise ImportFailure(
            f"{path.name}: this mapping is for `servicegate import {fmt}`, not"
            f" `{expected_format}`; use the matching command."
        )
    columns = dict(data.get("columns", {}))
    for key in REQUIRED_COLUMNS[expected_format]:
        if key not in columns:
            raise ImportFailure(
                f"{path.name}: [columns] needs the key {key!r} (the column holding it)."
            )
    return _build(path, data, columns, fmt)


def _build(path: Path, data: dict[str, Any], columns: dict[str, str], fmt: str) -> Mapping:
    file = data.get("file", {})
    stamp = data.get("timestamp", {})
    statuses = data.get("statuses", {})
    ticket = data.get("ticket", {})
    mapping = Mapping(
        path=path,
        format=fmt,
        source=str(data.get("source", path.stem))[:32],
        columns=columns,
        member=file.get("member", ""),
        delimiter=file.get("delimiter", ","),
        encoding=file.get("encoding", "utf-8-sig"),
        timestamp_format=stamp.get("format", "iso"),
        timezone=stamp.get("timezone", "UTC"),
        priority_map={str(k): str(v) for k, v in data.get("priority", {}).get("map", {}).items()},
        pause=frozenset(statuses.get("pause", [])),
        stop=frozenset(statuses.get("stop", [])),
        status_map={str(k): str(v) for k, v in statuses.get("map", {}).items()},
        kind=ticket.get("kind", TicketKind.INCIDENT),
        channel=ticket.get("channel", Channel.REMOTE),
    )
    _check_values(mapping)
    return mapping


def _check_keys(path: Path, data: dict[str, Any]) -> None:
    for key, value in data.items():
        spec = SCHEMA.get(key)
        if spec is None:
            raise ImportFailure(
                f"{path.name}: unknown key {key!r}.{closest(key, SCHEMA)} Valid top-level keys:"
                f" {', '.join(SCHEMA)}."
            )
        if isinstance(spec, dict):
            if not isinstance(value, dict):
                raise ImportFailure(f"{path.name}: {key!r} must be a table ([{key}]).")
            for sub, subvalue in value.items():
                if sub not in spec:
                    raise ImportFailure(
                        f"{path.name}: unknown key '{key}.{sub}'.{closest(sub, spec)} Valid"
                        f" keys in [{key}]: {', '.join(spec)}."
                    )
                if not isinstance(subvalue, spec[sub]):
                    raise ImportFailure(f"{path.name}: {key}.{sub} must be a {spec[sub].__name__}.")
        elif not isinstance(value, spec):
            raise ImportFailure(f"{path.name}: {key!r} must be a {spec.__name__}.")


def _check_values(mapping: Mapping) -> None:
    name = mapping.path.name
    for raw, value in mapping.priority_map.items():
        if value not in Priority.values:
            raise ImportFailure(
                f"{name}: priority.map maps {raw!r} to {value!r}; use one of P1, P2, P3, P4."
            )
    for raw, value in mapping.status_map.items():
        if value not in TicketStatus.values:
            hint = closest(value, TicketStatus.values)
            raise ImportFailure(
                f"{name}: statuses.map maps {raw!r} to {value!r}.{hint}"
                f" Use one of {', '.join(TicketStatus.values)}."
            )
    if mapping.kind not in TicketKind.values:
        raise ImportFailure(
            f"{name}: ticket.kind {mapping.kind!r} is not a ticket kind; use one of"
            f" {', '.join(TicketKind.values)}."
        )
    if mapping.channel not in Channel.values:
        raise ImportFailure(
            f"{name}: ticket.channel {mapping.channel!r} is not a channel; use remote or on_site."
        )


def date_parser(mapping: Mapping, timezone: str = "") -> DateParser:
    """The mapping's timestamp parser, in ``timezone`` or else the mapping's zone."""
    try:
        return format_parser(mapping.timestamp_format, zone(timezone or mapping.timezone))
    except ValueError as exc:
        raise ImportFailure(str(exc)) from None
