"""Writes of the customer portal: invitations, tickets, comments, attachments, feedback.

Each write is one transaction, checks the caller first and raises :class:`PortalRefused`
with a whole sentence when it refuses; nothing is written then.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicegate.accounts import roles
from servicegate.accounts.models import hash_token
from servicegate.core.actors import Actor, as_user
from servicegate.core.permissions import has_capability
from servicegate.improvement.choices import FindingSource, Severity
from servicegate.improvement.services import finding_create
from servicegate.operations.choices import Priority, TicketKind, TicketStatus
from servicegate.operations.errors import TicketRefused
from servicegate.operations.models import Customer, Ticket
from servicegate.operations.ticket_services import may_work, ticket_raise
from servicegate.portal import selectors
from servicegate.portal.choices import TICKET_PRIORITY, PortalPriority
from servicegate.portal.errors import PortalRefused
from servicegate.portal.models import (
    CustomerContact,
    Feedback,
    Invitation,
    OfferRequest,
    TicketAttachment,
    TicketComment,
)

logger = logging.getLogger(__name__)
INVITATION_DAYS = 7
#: File types a customer may attach (by extension), and the largest size in bytes.
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".log": "text/plain",
    ".csv": "text/csv",
}


def _max_attachment_bytes() -> int:
    return int(getattr(settings, "SERVICEGATE_PORTAL_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024))


def _customer_of(by: Actor) -> Customer:
    """The customer ``by`` acts for; refuses (403) anyone who is no linked contact."""
    if not selectors.is_portal_user(by):
        raise PortalRefused(_("Only customer contacts use the customer portal."), status=403)
    customer = selectors.customer_of(by)
    if customer is None:
        raise PortalRefused(
            _("Your account is not linked to a customer; ask your service contact to invite you."),
            status=403,
        )
    return customer


def _own_ticket(by: Actor, ticket_id: int) -> tuple[Customer, Ticket]:
    customer = _customer_of(by)
    ticket = selectors.ticket_of(customer, ticket_id)
    if ticket is None:
        raise PortalRefused(
            _("There is no ticket %(id)s of your organisation.") % {"id": ticket_id}, status=404
        )
    return customer, ticket


def invitation_create(
    *, by: Actor, customer: Customer, email: str, link_base: str
) -> tuple[Invitation, str]:
    """Invite ``email`` to the portal for ``customer`` (``invite_customers``).

    Sends the one-time link ``<link_base><token>/`` by e-mail and returns the invitation
    with the link. The link works once and for ``INVITATION_DAYS`` days.
    """
    if not has_capability(by, "invite_customers"):
        raise PortalRefused(
            _("Your role does not allow inviting customer contacts; ask a service manager."),
            status=403,
        )
    email = email.strip()
    if "@" not in email or len(email) > 254:
        raise PortalRefused(_("%(email)r is no e-mail address.") % {"email": email})
    raw = secrets.token_urlsafe(32)
    link = f"{link_base}{raw}/"
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            customer=customer,
            token_hash=hash_token(raw),
            created_by=by if isinstance(by, User) else None,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        send_mail(
            _("Your access to the Servicegate customer portal"),
            _(
                "You were invited to the customer portal of %(customer)s. Open this link"
                " within %(days)s days to choose your user name and password (it works"
                " once):\n\n%(link)s\n"
            )
            % {"customer": customer.name, "days": INVITATION_DAYS, "link": link},
            None,
            [email],
        )
    return invitation, link


def invitation_for_token(raw: str) -> Invitation:
    """The usable invitation of the link's token; 404 if unknown, 410 if used or expired."""
    invitation = selectors.invitation_by_hash(hash_token(raw))
    if invitation is None:
        raise PortalRefused(_("This invitation link is not valid."), status=404)
    if not invitation.is_usable():
        raise PortalRefused(
            _("This invitation link was used already or has expired; ask for a new one."),
            status=410,
        )
    return invitation


def invitation_accept(*, token: str, username: str, password: str) -> User:
    """Use the one-time link: create the customer user, link it to the customer."""
    invitation = invitation_for_token(token)
    username = username.strip()
    if not username:
        raise PortalRefused(_("Choose a user name."))
    candidate = User(username=username, email=invitation.email)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise PortalRefused(" ".join(exc.messages)) from None
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_usable():
            raise PortalRefused(_("This invitation link was used already."), status=410)
        if User.objects.filter(username=username).exists():
            raise PortalRefused(
                _("The user name %(name)s is taken; choose another.") % {"name": username},
                status=409,
            )
        user = User.objects.create_user(
            username=username, email=invitation.email, password=password
        )
        user.groups.add(Group.objects.get(name=roles.CUSTOMER))
        CustomerContact.objects.create(
            user=user, customer=locked.customer, invited_by=locked.created_by
        )
        locked.accepted_at = timezone.now()
        locked.user = user
        locked.save(update_fields=["accepted_at", "user"])
    return user


def contact_link(*, by: Actor, user: User, customer: Customer) -> CustomerContact:
    """Make ``user`` a customer contact of ``customer`` (``invite_customers``; the demo)."""
    if not has_capability(by, "invite_customers"):
        raise PortalRefused(
            _("Your role does not allow inviting customer contacts; ask a service manager."),
            status=403,
        )
    with transaction.atomic():
        user.groups.add(Group.objects.get(name=roles.CUSTOMER))
        contact, _created = CustomerContact.objects.update_or_create(
            user=user, defaults={"customer": customer, "invited_by": as_user(by)}
        )
    return contact


def _check_attachment(upload: UploadedFile[Any]) -> str:
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise PortalRefused(
            _("Files of type %(type)s cannot be attached; attach one of %(types)s.")
            % {"type": suffix or "?", "types": ", ".join(sorted(ATTACHMENT_TYPES))},
            status=422,
        )
    limit = _max_attachment_bytes()
    if (upload.size or 0) > limit:
        raise PortalRefused(
            _("The file is larger than %(mb)s MB; attach a smaller one.")
            % {"mb": round(limit / 1024 / 1024, 1)},
            status=422,
        )
    return ATTACHMENT_TYPES[suffix]


def portal_ticket_raise(
    *,
    by: Actor,
    asset_id: int | None,
    title: str,
    description: str,
    priority: str,
    attachment: UploadedFile[Any] | None = None,
) -> Ticket:
    """Raise an incident for the caller's organisation, with its clocks at once.

    ``priority`` is a portal priority (critical, high, normal, low); the asset, if
    given, must be one of the customer's (404 otherwise). The description becomes the
    ticket's first comment.
    """
    customer = _customer_of(by)
    if priority not in PortalPriority.values:
        raise PortalRefused(
            _("%(value)r is no priority; use one of %(names)s.")
            % {"value": priority, "names": ", ".join(PortalPriority.values)}
        )
    if asset_id is not None and not selectors.assets_of(customer).filter(pk=asset_id).exists():
        raise PortalRefused(
            _("There is no asset %(id)s of your organisation.") % {"id": asset_id}, status=404
        )
    content_type = _check_attachment(attachment) if attachment is not None else ""
    try:
        with transaction.atomic():
            ticket = ticket_raise(
                by=by,
                customer_id=customer.pk,
                asset_id=asset_id,
                title=title,
                priority=TICKET_PRIORITY[PortalPriority(priority)],
                description=description.strip(),
            )
            user = by if isinstance(by, User) else None
            if description.strip():
                TicketComment.objects.create(ticket=ticket, author=user, body=description.strip())
            if attachment is not None:
                _attach(ticket, attachment, content_type, user)
    except TicketRefused as exc:
        raise PortalRefused(str(exc), status=exc.status) from None
    return ticket


def _attach(
    ticket: Ticket, upload: UploadedFile[Any], content_type: str, user: User | None
) -> None:
    TicketAttachment.objects.create(
        ticket=ticket,
        file=upload,
        name=PurePath(upload.name or "file").name[:200],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=user,
    )


def comment_add(*, by: Actor, ticket_id: int, body: str) -> TicketComment:
    """Add a comment to one of the caller's organisation's tickets."""
    _customer, ticket = _own_ticket(by, ticket_id)
    if not body.strip():
        raise PortalRefused(_("The comment is empty; write what you want to tell us."))
    return TicketComment.objects.create(
        ticket=ticket, author=by if isinstance(by, User) else None, body=body.strip()
    )


def comment_reply(*, by: Actor, ticket: Ticket, body: str) -> TicketComment:
    """A staff member who may work ``ticket`` answers the customer in the portal."""
    if not may_work(by, ticket):
        raise PortalRefused(
            _("You may answer customers only on tickets you may work; ask a dispatcher."),
            status=403,
        )
    if not body.strip():
        raise PortalRefused(_("The comment is empty; write what you want to tell us."))
    return TicketComment.objects.create(
        ticket=ticket, author=by if isinstance(by, User) else None, body=body.strip()
    )


def _low_score() -> int:
    return int(getattr(settings, "SERVICEGATE_PORTAL_LOW_SCORE", 2))


def feedback_give(*, by: Actor, ticket_id: int, score: int, comment: str = "") -> Feedback:
    """Score a resolved ticket of the caller's organisation, once (1 = bad .. 5 = very good).

    A score at or below ``SERVICEGATE_PORTAL_LOW_SCORE`` (default 2) raises a KVP finding
    with the source ``customer_feedback`` in the same transaction.
    """
    customer, ticket = _own_ticket(by, ticket_id)
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise PortalRefused(_("The score must be a whole number from 1 to 5."))
    if ticket.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        raise PortalRefused(
            _("Ticket %(number)s is not resolved yet; give feedback once it is.")
            % {"number": ticket.number},
            status=409,
        )
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                ticket=ticket,
                customer=customer,
                score=score,
                comment=comment.strip(),
                given_by=by if isinstance(by, User) else None,
            )
            if score <= _low_score():
                _low_feedback_finding(feedback, ticket, by)
    except IntegrityError:
        raise PortalRefused(
            _("Feedback on ticket %(number)s was given already; thank you.")
            % {"number": ticket.number},
            status=409,
        ) from None
    return feedback


def _low_feedback_finding(feedback: Feedback, ticket: Ticket, by: Actor) -> None:
    """Raise the KVP finding of a low score, linked to the ticket, its promise (a breached
    clock's first) and the customer, in the name of the contact's inviting staff member."""
    reporter = selectors.finding_reporter(by)
    if reporter is None:
        logger.warning("No one may raise the finding of low feedback on %s.", ticket.number)
        return
    promise = selectors.feedback_promise(ticket)
    finding = finding_create(
        by=reporter,
        source=FindingSource.CUSTOMER_FEEDBACK,
        title=_("Customer feedback %(score)s of 5 on ticket %(number)s")
        % {"score": feedback.score, "number": ticket.number},
        description=_(
            "%(customer)s scored ticket %(number)s “%(title)s” %(score)s of 5: %(comment)s"
        )
        % {
            "customer": feedback.customer.name,
            "number": ticket.number,
            "title": ticket.title,
            "score": feedback.score,
            "comment": feedback.comment or "–",
        },
        severity=Severity.HIGH if feedback.score == 1 else Severity.MEDIUM,
        promise=promise,
        customer=feedback.customer,
        asset=ticket.asset,
        ticket=ticket,
    )
    feedback.finding = finding
    feedback.save(update_fields=["finding"])


def offer_request(*, by: Actor, offer_id: str) -> OfferRequest:
    """The caller's organisation asks for one of its preventive offers: a request ticket
    titled with the offer's product opens (with its clocks, in the queue) and Sales sees it
    in the inbox. Another customer's or an unknown offer is 404; asking twice is 409."""
    customer = _customer_of(by)
    offer = selectors.offer_of(customer, offer_id)
    if offer is None:
        raise PortalRefused(
            _("There is no offer %(id)s for your organisation.") % {"id": offer_id}, status=404
        )
    if OfferRequest.objects.filter(customer=customer, offer=offer.id).exists():
        raise PortalRefused(
            _("You have requested the offer %(product)s already; we will be in touch.")
            % {"product": offer.product_name},
            status=409,
        )
    user = by if isinstance(by, User) else None
    try:
        with transaction.atomic():
            ticket = ticket_raise(
                by=by,
                customer_id=customer.pk,
                asset_id=None,
                title=_("Offer requested: %(product)s") % {"product": offer.product_name},
                priority=Priority.P4,
                description=offer.summary,
                kind=TicketKind.REQUEST,
            )
            return OfferRequest.objects.create(
                customer=customer,
                offer=offer.id,
                product_name=offer.product_name[:200],
                ticket=ticket,
                requested_by=user,
            )
    except TicketRefused as exc:
        raise PortalRefused(str(exc), status=exc.status) from None
    except IntegrityError:
        raise PortalRefused(
            _("You have requested the offer %(product)s already; we will be in touch.")
            % {"product": offer.product_name},
            status=409,
        ) from None
