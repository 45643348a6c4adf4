"""Staff see what the customer wrote on the ticket page and answer it in the portal."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from servicegate.operations.models import Asset, Ticket
from servicegate.portal.models import TicketComment

pytestmark = pytest.mark.django_db


def _raise(client: Client, asset: Asset) -> Ticket:
    upload = SimpleUploadedFile("fault.log", b"E42", content_type="text/plain")
    data = {
        "title": "Fault E42",
        "asset": asset.pk,
        "priority": "high",
        "description": "Since the night shift.",
        "attachment": upload,
    }
    assert client.post("/portal/tickets/new/", data).status_code == 302
    return Ticket.objects.get()


def test_a_dispatcher_reads_and_answers_the_customer(
    kim: User,
    dana: User,
    victor: User,
    asset: Asset,
    session_of: Callable[[User], Client],
) -> None:
    ticket = _raise(session_of(kim), asset)
    staff_url = f"/operations/tickets/{ticket.pk}/"
    page = session_of(dana).get(staff_url).content.decode()
    assert 'id="customer-dialogue"' in page and "Since the night shift." in page
    assert "fault.log" in page and 'id="id_reply_body"' in page
    # the viewer reads the dialogue but may not answer
    seen = session_of(victor).get(staff_url).content.decode()
    assert "Since the night shift." in seen and 'id="id_reply_body"' not in seen
    refused = session_of(victor).post(f"/portal/staff/tickets/{ticket.pk}/reply/", {"body": "x"})
    assert refused.status_code == 403
    # dana answers; kim reads the answer in the portal
    reply = session_of(dana).post(
        f"/portal/staff/tickets/{ticket.pk}/reply/", {"body": "A technician comes at 14:00."}
    )
    assert reply.status_code == 302 and reply["Location"] == staff_url
    assert TicketComment.objects.filter(author=dana).count() == 1
    mine = session_of(kim).get(f"/portal/tickets/{ticket.pk}/").content.decode()
    assert "A technician comes at 14:00." in mine
    attachment = ticket.portal_attachments.get()
    download = session_of(victor).get(f"/portal/staff/attachments/{attachment.pk}/")
    assert download.status_code == 200


def test_a_ticket_without_portal_content_shows_no_section(
    open_ticket: Ticket, dana: User, session_of: Callable[[User], Client]
) -> None:
    page = session_of(dana).get(f"/operations/tickets/{open_ticket.pk}/").content.decode()
    assert 'id="customer-dialogue"' not in page
