"""Feedback and appraisal notes are visible only to the person and their lead."""

from __future__ import annotations

from django.contrib.auth.models import User

from servicegate.team.models import FeedbackNote, Team
from servicegate.team.tests.conftest import send


def test_a_note_is_read_only_by_the_person_and_their_lead(
    team: Team, dana: User, carol: User, bob: User, victor: User, persona: object
) -> None:
    # given dana, carol's lead, writes her a strengths-based note
    response = send(
        dana,
        "post",
        "/api/v1/feedback",
        {"person": "carol", "strengths": "Calm with angry customers.", "growth": "PLC"},
    )
    assert response.status_code == 201, response.json()
    note_id = response.json()["id"]
    url = f"/api/v1/feedback/{note_id}"
    # then carol and dana read it
    for reader in (carol, dana):
        assert send(reader, "get", url).json()["strengths"] == "Calm with angry customers."
        assert [n["id"] for n in send(reader, "get", "/api/v1/feedback").json()] == [note_id]
    # and nobody else does, not even the service manager or the administrator
    ada = persona("ada")  # type: ignore[operator]
    for other in (bob, victor, ada):
        response = send(other, "get", url)
        assert response.status_code == 403
        assert response.json()["detail"] == (
            "Feedback notes are visible only to the person and their team lead."
        )
        assert send(other, "get", "/api/v1/feedback").json() == []


def test_the_person_writes_to_their_lead(team: Team, carol: User) -> None:
    response = send(carol, "post", "/api/v1/feedback", {"person": "carol", "strengths": "x"})
    assert response.status_code == 201
    note = FeedbackNote.objects.get()
    assert (note.person.username, note.lead.username, note.author.username) == (
        "carol",
        "dana",
        "carol",
    )


def test_someone_else_may_not_write_a_note_about_a_person(
    team: Team, bob: User, victor: User
) -> None:
    for writer in (bob, victor):
        response = send(writer, "post", "/api/v1/feedback", {"person": "carol", "strengths": "x"})
        assert response.status_code == 403
    assert not FeedbackNote.objects.exists()


def test_a_note_starts_with_strengths(team: Team, dana: User) -> None:
    response = send(dana, "post", "/api/v1/feedback", {"person": "carol", "strengths": "  "})
    assert response.status_code == 422
    assert response.json()["detail"] == "Start with the strengths: what does the person do well?"
    assert not FeedbackNote.objects.exists()
