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

from django.utils.translation import gettext as _

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
        "due": str,
    },
    "timestamp": {"format": str, "timezone": str},
    "priority": {"map": dict},
    "statuses": {"pause": list, "stop": list, "map": dict, "default": str},
    "ticket": {"kind": str, "channel": str},
}
# Source statuses that mean the same everywhere; any other unmapped status is an error
# unless the mapping names a default (``[statuses] default = "in_progress"``).
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
    status_default: str = ""
    kind: str = TicketKind.INCIDENT
    channel: str = Channel.REMOTE

    def status_of(self, raw: str) -> str:
        """The Servicegate status of the source status ``raw``; the default (else *in
        progress*) when it is not mapped — importers refuse that case first."""
        return self.known_status(raw) or self.status_default or TicketStatus.IN_PROGRESS

    def known_status(self, raw: str) -> str | None:
        """The status ``raw`` maps to (map, stop and pause lists, Servicegate's own names,
        common synonyms), or the mapping's default; None if neither."""
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
        return SYNONYMS.get(lower) or self.status_default or None

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
        _(
            "%(name)s: no such mapping file; give a path to a TOML file or one of the shipped"
            " mappings: %(names)s."
        )
        % {"name": name, "names": names}
    )


def load(name: str, *, expected_format: str) -> Mapping:
    """Read and validate the mapping ``name`` for an import of ``expected_format``."""
    path = resolve(name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ImportFailure(
            _("%(file)s: not valid TOML (%(error)s); correct the file.")
            % {"file": path.name, "error": exc}
        ) from None
    _check_keys(path, data)
    fmt = data.get("format", expected_format)
    if fmt != expected_format:
        raise ImportFailure(
            _(
                "%(file)s: this mapping is for `servicegate import %(format)s`, not"
                " `%(expected)s`; use the matching command."
            )
            % {"file": path.name, "format": fmt, "expected": expected_format}
        )
    columns = dict(data.get("columns", {}))
    for key in REQUIRED_COLUMNS[expected_format]:
        if key not in columns:
            raise ImportFailure(
                _("%(file)s: [columns] needs the key %(key)r (the column holding it).")
                % {"file": path.name, "key": key}
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
        status_default=statuses.get("default", ""),
        kind=ticket.get("kind", TicketKind.INCIDENT),
        channel=ticket.get("channel", Channel.REMOTE),
    )
    _check_values(mapping)
    return mapping


def _check_keys(path: Path, data: dict[str, Any]) -> None:
    file = path.name
    for key, value in data.items():
        spec = SCHEMA.get(key)
        if spec is None:
            raise ImportFailure(
                _("%(file)s: unknown key %(key)r.%(hint)s Valid top-level keys: %(keys)s.")
                % {
                    "file": file,
                    "key": key,
                    "hint": closest(key, SCHEMA),
                    "keys": ", ".join(SCHEMA),
                }
            )
        if isinstance(spec, dict):
            if not isinstance(value, dict):
                raise ImportFailure(
                    _("%(file)s: %(key)r must be a table ([%(table)s]).")
                    % {"file": file, "key": key, "table": key}
                )
            for sub, subvalue in value.items():
                if sub not in spec:
                    raise ImportFailure(
                        _(
                            "%(file)s: unknown key '%(table)s.%(key)s'.%(hint)s Valid keys in"
                            " [%(table)s]: %(keys)s."
                        )
                        % {
                            "file": file,
                            "table": key,
                            "key": sub,
                            "hint": closest(sub, spec),
                            "keys": ", ".join(spec),
                        }
                    )
                if not isinstance(subvalue, spec[sub]):
                    raise ImportFailure(
                        _("%(file)s: %(table)s.%(key)s must be a %(type)s.")
                        % {"file": file, "table": key, "key": sub, "type": spec[sub].__name__}
                    )
        elif not isinstance(value, spec):
            raise ImportFailure(
                _("%(file)s: %(key)r must be a %(type)s.")
                % {"file": file, "key": key, "type": spec.__name__}
            )


def _check_values(mapping: Mapping) -> None:
    name = mapping.path.name
    for raw, value in mapping.priority_map.items():
        if value not in Priority.values:
            raise ImportFailure(
                _("%(file)s: priority.map maps %(raw)r to %(value)r; use one of P1, P2, P3, P4.")
                % {"file": name, "raw": raw, "value": value}
            )
    if mapping.status_default and mapping.status_default not in TicketStatus.values:
        raise ImportFailure(
            _(
                "%(file)s: statuses.default %(value)r is not a status.%(hint)s Use one of"
                " %(statuses)s."
            )
            % {
                "file": name,
                "value": mapping.status_default,
                "hint": closest(mapping.status_default, TicketStatus.values),
                "statuses": ", ".join(TicketStatus.values),
            }
        )
    for raw, value in mapping.status_map.items():
        if value not in TicketStatus.values:
            raise ImportFailure(
                _(
                    "%(file)s: statuses.map maps %(raw)r to %(value)r.%(hint)s Use one of"
                    " %(statuses)s."
                )
                % {
                    "file": name,
                    "raw": raw,
                    "value": value,
                    "hint": closest(value, TicketStatus.values),
                    "statuses": ", ".join(TicketStatus.values),
                }
            )
    if mapping.kind not in TicketKind.values:
        raise ImportFailure(
            _("%(file)s: ticket.kind %(kind)r is not a ticket kind; use one of %(kinds)s.")
            % {"file": name, "kind": mapping.kind, "kinds": ", ".join(TicketKind.values)}
        )
    if mapping.channel not in Channel.values:
        raise ImportFailure(
            _("%(file)s: ticket.channel %(channel)r is not a channel; use remote or on_site.")
            % {"file": name, "channel": mapping.channel}
        )


def date_parser(mapping: Mapping, timezone: str = "") -> DateParser:
    """The mapping's timestamp parser, in ``timezone`` or else the mapping's zone."""
    try:
        return format_parser(mapping.timestamp_format, zone(timezone or mapping.timezone))
    except ValueError as exc:
        raise ImportFailure(str(exc)) from None
