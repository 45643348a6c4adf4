"""Write a calendar definition (the engine's dict form) as the documented TOML file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from servicegate.engines.calendars import WEEKDAYS


def _string_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def definition_to_toml(definition: Mapping[str, Any]) -> str:
    """The calendar file for ``definition`` (JSON strings are valid TOML basic strings)."""
    lines = [f"timezone = {json.dumps(definition['timezone'])}", "", "[week]"]
    week = definition.get("week", {})
    lines += [f"{day} = {_string_list(list(week.get(day, [])))}" for day in WEEKDAYS]
    holidays = definition.get("holidays", {})
    lines += ["", "[holidays]", f"dates = {_string_list(list(holidays.get('dates', [])))}"]
    for key in ("country", "subdivision"):
        if holidays.get(key):
            lines.append(f"{key} = {json.dumps(holidays[key])}")
    special = definition.get("special", {})
    if special:
        lines += ["", "[special]"]
        lines += [f'"{day}" = {_string_list(list(v))}' for day, v in sorted(special.items())]
    return "\n".join(lines) + "\n"
