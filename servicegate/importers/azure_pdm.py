"""The Azure predictive-maintenance sample (``PdM_machines.csv``, ``PdM_failures.csv``,
``PdM_maint.csv``): machines, component failures and component replacements.

A replacement at the same instant as a failure of the same component on the same machine
is the repair of that failure; any other replacement was made before the component
failed (preventive), so it ends a censored life. The replacement log begins in June 2014,
the failure log in January 2015: of the earlier replacements only each component's last
is kept, as the start of its first life. Timestamps carry no zone: UTC.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.utils.translation import gettext as _

from servicegate.importers.errors import ImportFailure

FILES = {
    "machines": ("PdM_machines.csv", ("machineID", "model", "age")),
    "failures": ("PdM_failures.csv", ("datetime", "machineID", "failure")),
    "maint": ("PdM_maint.csv", ("datetime", "machineID", "comp")),
}


@dataclass(frozen=True)
class Machine:
    """One machine of the sample: its id, model and age in years at the end of the data."""

    id: int
    model: str
    age_years: int


@dataclass(frozen=True)
class ComponentRecord:
    """A component of a machine failed (``failed``) or was replaced before failing."""

    machine: int
    component: str
    at: datetime
    failed: bool


@dataclass(frozen=True)
class AzurePdm:
    """The parsed sample."""

    machines: list[Machine]
    records: list[ComponentRecord]


def _rows(directory: Path, key: str) -> list[dict[str, str]]:
    name, columns = FILES[key]
    path = directory / name
    if not path.is_file():
        raise ImportFailure(
            _("%(path)s is missing; the folder must hold the Azure PdM CSV files.") % {"path": path}
        )
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFailure(
                _("%(name)s lacks the columns %(columns)s; is it the Azure PdM sample?")
                % {"name": name, "columns": ", ".join(missing)}
            )
        return list(reader)


def _instant(value: str, name: str, line: int) -> datetime:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise ImportFailure(
            _("%(name)s, line %(line)d: %(value)r is no date and time.")
            % {"name": name, "line": line, "value": value}
        ) from None


def _kept(
    replacements: set[tuple[int, str, datetime]], failures: set[tuple[int, str, datetime]]
) -> list[tuple[int, str, datetime]]:
    """The replacements to import: before the failure log begins, a replacement may have
    been the repair of an unlogged failure, so only the last one of each component is
    kept there (it dates the part's installation; the first life starts at it)."""
    if not failures:
        return sorted(replacements)
    begins = min(at for _m, _c, at in failures).replace(day=1, hour=0)
    latest: dict[tuple[int, str], datetime] = {}
    kept = []
    for machine, component, at in sorted(replacements):
        if at >= begins:
            kept.append((machine, component, at))
        else:
            latest[machine, component] = at
    return kept + [(m, c, at) for (m, c), at in latest.items()]


def read_azure_pdm(directory: Path) -> AzurePdm:
    """Parse the sample in ``directory``; :class:`ImportFailure` names what is wrong."""
    machines = [
        Machine(id=int(r["machineID"]), model=r["model"], age_years=int(r["age"]))
        for r in _rows(directory, "machines")
    ]
    failures = {
        (int(r["machineID"]), r["failure"], _instant(r["datetime"], FILES["failures"][0], i + 2))
        for i, r in enumerate(_rows(directory, "failures"))
    }
    replacements = {
        (int(r["machineID"]), r["comp"], _instant(r["datetime"], FILES["maint"][0], i + 2))
        for i, r in enumerate(_rows(directory, "maint"))
    }
    records = [ComponentRecord(m, c, at, True) for m, c, at in failures]
    records += [
        ComponentRecord(m, c, at, False) for m, c, at in _kept(replacements - failures, failures)
    ]
    records.sort(key=lambda r: (r.machine, r.component, r.at))
    known = {m.id for m in machines}
    unknown = sorted({r.machine for r in records} - known)
    if unknown:
        raise ImportFailure(
            _("Machines %(ids)s have records but are not in PdM_machines.csv.")
            % {"ids": ", ".join(map(str, unknown[:5]))}
        )
    return AzurePdm(machines=machines, records=records)
