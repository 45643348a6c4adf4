"""Models of the customer portal: contacts, invitations, comments, attachments, feedback."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicegate.improvement.models import Finding
from servicegate.operations.models import Customer, Ticket


class CustomerContact(models.Model):
    """The link of a portal user to exactly one customer organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="customer_contact",
        verbose_name=_("user"),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("customer")
    )
    # The staff member who invited the contact: the customer's feedback findings are
    # raised in their name (a customer contact may not raise findings itself).
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["customer__name", "user__username"]
        verbose_name = _("customer contact")
        verbose_name_plural = _("customer contacts")

    def __str__(self) -> str:
        return f"{self.user} → {self.customer.name}"


class Invitation(models.Model):
    """An invitation by e-mail to become a customer contact; its link works once.

    Only the SHA-256 hash of the link's token is stored. ``accepted_at`` is set when the
    link is used; an accepted or expired invitation opens nothing.
    """

    email = models.EmailField(_("e-mail"))
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("customer")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.customer.name}"

    def is_usable(self, now: datetime | None = None) -> bool:
        """Whether the link may still be used: not accepted and not expired."""
        return self.accepted_at is None and self.expires_at > (now or timezone.now())


class TicketComment(models.Model):
    """A comment on a ticket written in the portal (the customer's description included)."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="portal_comments", verbose_name=_("ticket")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["ticket_id", "created_at", "id"]
        verbose_name = _("ticket comment")
        verbose_name_plural = _("ticket comments")

    def __str__(self) -> str:
        return f"{self.ticket_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class TicketAttachment(models.Model):
    """A file the customer attached to a ticket (size and type checked on upload)."""

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="portal_attachments",
        verbose_name=_("ticket"),
    )
    file = models.FileField(_("file"), upload_to="portal/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["ticket_id", "created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Feedback(models.Model):
    """The customer's score (1..5) of one resolved ticket; one per ticket."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="portal_feedback", verbose_name=_("ticket")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("customer")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("given by"),
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    # The KVP finding a low score raised.
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finding"),
    )

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="feedback_score_1_to_5"
            )
        ]
        indexes = [models.Index(fields=["customer", "-given_at"], name="feedback_customer_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}"


class OfferRequest(models.Model):
    """A customer contact asked for a preventive offer; Sales follows it up on its ticket.

    One request per customer and offer: the offer id is ``"<customer>-<product>"``.
    """

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="offer_requests",
        verbose_name=_("customer"),
    )
    offer = models.CharField(_("offer"), max_length=100)
    product_name = models.CharField(_("product"), max_length=200)
    ticket = models.OneToOneField(
        Ticket,
        on_delete=models.CASCADE,
        related_name="offer_request",
        verbose_name=_("ticket"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("offer request")
        verbose_name_plural = _("offer requests")
        constraints = [
            models.UniqueConstraint(fields=["customer", "offer"], name="offer_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.product_name}"
