"""Home bases and absences: who may set them, and bad input refused with a sentence."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from servicegate.accounts.services import token_create
from servicegate.conftest import RoleMatrix
from servicegate.scheduling.models import Absence, TechnicianBase
from servicegate.team.models import Technician


def _send(user: User, method: str, url: str, data: dict[str, Any]) -> Any:
    client = Client(headers={"Authorization": f"Bearer {token_create(user=user)[1]}"})
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_team_managers_set_bases_and_absences(
    role_matrix: RoleMatrix, technician: Callable[..., Technician]
) -> None:
    tech = technician("A", "München")
    role_matrix(
        f"/api/v1/technicians/{tech.pk}/base",
        {"*": 403, "bob": 200, "dana": 200, "ada": 200},
        method="put",
        data={"latitude": 48.1, "longitude": 11.6},
        api=True,
    )
    role_matrix(
        "/api/v1/absences",
        {"*": 403, "bob": 201, "dana": 201, "ada": 201},
        method="post",
        data={
            "technician": tech.pk,
            "starts_at": "2027-01-04T00:00:00+01:00",
            "ends_at": "2027-01-09T00:00:00+01:00",
            "reason": "holiday",
        },
        api=True,
    )
    assert TechnicianBase.objects.get(technician=tech).latitude == 48.1
    assert Absence.objects.filter(technician=tech).count() == 3


def test_bad_coordinates_and_absences_are_refused(
    technician: Callable[..., Technician], dana: User
) -> None:
    tech = technician("A", "München")
    off = _send(
        dana, "put", f"/api/v1/technicians/{tech.pk}/base", {"latitude": 148, "longitude": 11}
    )
    assert off.status_code == 422
    assert off.json()["detail"].startswith("The coordinates (148.0, 11.0) lie outside the globe")
    backwards = _send(
        dana,
        "post",
        "/api/v1/absences",
        {
            "technician": tech.pk,
            "starts_at": "2027-01-09T00:00:00+01:00",
            "ends_at": "2027-01-04T00:00:00+01:00",
            "reason": "holiday",
        },
    )
    assert backwards.status_code == 422
    assert backwards.json()["detail"] == (
        "The absence ends before it starts; give an end after the start."
    )
    unknown = _send(
        dana,
        "post",
        "/api/v1/absences",
        {
            "technician": tech.pk,
            "starts_at": "2027-01-04T00:00:00+01:00",
            "ends_at": "2027-01-09T00:00:00+01:00",
            "reason": "fishing",
        },
    )
    assert unknown.status_code == 422 and "“fishing” is unknown" in unknown.json()["detail"]
    assert (
        _send(
            dana, "put", "/api/v1/technicians/999/base", {"latitude": 1, "longitude": 1}
        ).status_code
        == 404
    )


def test_absences_are_listed_by_page(technician: Callable[..., Technician], victor: User) -> None:
    import datetime as dt

    from servicegate.scheduling.tests.conftest import at

    a, b = technician("A", "München"), technician("B", "Ulm")
    monday = dt.date(2027, 1, 4)
    for i in range(3):
        day = monday + dt.timedelta(days=7 * i)
        Absence.objects.create(
            technician=a, starts_at=at(day, 0), ends_at=at(day, 24), reason="training"
        )
    Absence.objects.create(
        technician=b, starts_at=at(monday, 0), ends_at=at(monday, 48), reason="sickness"
    )
    client = Client(headers={"Authorization": f"Bearer {token_create(user=victor)[1]}"})
    body = client.get(f"/api/v1/absences?technician={a.pk}&page_size=2").json()
    assert body["count"] == 3 and len(body["items"]) == 2
    assert body["items"][0]["technician"] == a.pk
    touching = client.get("/api/v1/absences?start=2027-01-05&end=2027-01-11").json()
    assert [i["technician"] for i in touching["items"]] == [b.pk, a.pk]
