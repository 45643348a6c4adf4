"""An upload from the UI starts an import job; the page polls its progress with HTMX."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from servicegate.accounts.services import profile_set_language
from servicegate.core.models import Job
from servicegate.operations.models import ImportRun, Ticket

pytestmark = pytest.mark.django_db

CSV = (
    "number,incident_state,reassignment_count,reopen_count,made_sla,opened_at,"
    "sys_updated_at,priority,assignment_group,assigned_to,resolved_at,closed_at\n"
    "INC1,New,0,0,true,1/3/2016 09:00,1/3/2016 09:05,2 - High,Group 1,?,?,?\n"
    "INC1,Active,0,0,true,1/3/2016 09:00,1/3/2016 10:00,2 - High,Group 1,Resolver 1,?,?\n"
    "INC1,Resolved,0,0,true,1/3/2016 09:00,1/3/2016 12:00,2 - High,Group 1,Resolver 1,"
    "1/3/2016 12:00,?\n"
)


@pytest.fixture
def client(bob: User, settings: object, tmp_path: object) -> Client:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    client = Client()
    client.force_login(bob)
    return client


def test_upload_runs_the_import_job(
    client: Client, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("incidents.csv", CSV.encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/operations/import/", {"format": "servicenow", "file": upload})
    job = Job.objects.get(kind="import")
    assert response.status_code == 302 and response["Location"].endswith(f"/jobs/{job.pk}/")
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.result["tickets_created"] == 1 and job.result["events_created"] == 3
    ticket = Ticket.objects.get()
    assert ticket.status == "resolved" and ticket.responded_at is not None
    assert ImportRun.objects.get().created_by == bob

    page = client.get(response["Location"])
    assert b"3 events created" in page.content
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b"hx-trigger" not in fragment.content


def test_failed_import_shows_the_reason(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    bad = CSV.replace("1/3/2016 10:00", "31/2/2016 10:00")
    upload = SimpleUploadedFile("bad.csv", bad.encode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/operations/import/", {"format": "servicenow", "file": upload})
    job = Job.objects.get(kind="import")
    assert job.status == Job.Status.FAILED
    assert "bad.csv, line 3, column 'sys_updated_at'" in job.message
    assert not Ticket.objects.exists()


GERMAN = "bad.csv, Zeile 3, Spalte 'sys_updated_at': das Datum '31/2/2016 10:00'"
ENGLISH = "bad.csv, line 3, column 'sys_updated_at': cannot read the date"


@pytest.mark.parametrize(
    ("language", "browser", "worker", "expected"),
    [
        ("de", "en", "en", GERMAN),  # the profile's choice wins over the browser's
        ("", "de", "en", GERMAN),  # no choice: the language the upload was made in
        ("", "en", "de", ENGLISH),
    ],
)
def test_failure_is_stored_in_the_uploaders_language(
    client: Client,
    bob: User,
    django_capture_on_commit_callbacks: Any,
    language: str,
    browser: str,
    worker: str,
    expected: str,
) -> None:
    """The job runs in the language bob uploaded in, whatever the worker's is."""
    profile_set_language(user=bob, language=language)
    bad = CSV.replace("1/3/2016 10:00", "31/2/2016 10:00")
    upload = SimpleUploadedFile("bad.csv", bad.encode())
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(
            "/operations/import/",
            {"format": "servicenow", "file": upload},
            HTTP_ACCEPT_LANGUAGE=browser,
        )
    with translation.override(worker):
        for callback in callbacks:
            callback()
    job = Job.objects.get(kind="import")
    assert job.status == Job.Status.FAILED
    assert job.message.startswith(expected), job.message


def test_event_formats_need_a_mapping(client: Client) -> None:
    upload = SimpleUploadedFile("log.csv", b"a,b\n")
    response = client.post("/operations/import/", {"format": "events", "file": upload})
    assert response.status_code == 200
    assert b"Choose a mapping for this format." in response.content
    assert not Job.objects.exists()


def test_running_job_fragment_keeps_polling(client: Client, bob: User) -> None:
    job = Job.objects.create(
        kind="import", title="Import of x.csv", created_by=bob, total=100, done=40
    )
    fragment = client.get(f"/operations/import/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert b'hx-trigger="every 1s"' in fragment.content and b'value="40"' in fragment.content


def test_an_upload_above_the_limit_is_refused_with_a_sentence(
    client: Client, settings: Any
) -> None:
    settings.SERVICEGATE_UPLOAD_MAX_BYTES = 2 * 2**20
    upload = SimpleUploadedFile("big.csv", b"x" * (2 * 2**20 + 10))
    response = client.post("/operations/import/", {"format": "servicenow", "file": upload})
    assert response.status_code in (200, 413)
    assert b"uploads may have at most 2 MB" in response.content
    assert not Job.objects.exists()


def test_a_huge_request_is_refused_before_it_is_read(client: Client, settings: Any) -> None:
    settings.SERVICEGATE_UPLOAD_MAX_BYTES = 2**20
    upload = SimpleUploadedFile("big.csv", b"x" * (3 * 2**20))
    response = client.post("/operations/import/", {"format": "servicenow", "file": upload})
    assert response.status_code == 413
    assert b"uploads may have at most 1 MB" in response.content
    assert not Job.objects.exists()


def test_the_upload_form_offers_the_encoding_its_errors_advise(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    latin = CSV.replace("Resolver 1", "Résolveur 1").encode("cp1252")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/operations/import/",
            {"format": "servicenow", "file": SimpleUploadedFile("w.csv", latin)},
        )
    failed = Job.objects.get(kind="import")
    assert failed.status == Job.Status.FAILED and "the Encoding field" in failed.message
    assert b'name="encoding"' in client.get("/operations/import/").content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/operations/import/",
            {
                "format": "servicenow",
                "encoding": "cp1252",
                "file": SimpleUploadedFile("w.csv", latin),
            },
        )
    done = Job.objects.exclude(pk=failed.pk).get(kind="import")
    assert done.status == Job.Status.SUCCEEDED, done.message
    assert Ticket.objects.get().events.filter(resource="Résolveur 1").exists()
