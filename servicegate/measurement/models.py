"""Promise clocks on tickets and the per-day attainment summary they feed."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.measurement.choices import OPEN_STATES, BreachCause, ClockState
from servicegate.operations.models import Customer, Ticket
from servicegate.promises.models import Promise


class Clock(models.Model):
    """The clock of one promise on one ticket, computed by the SLA engine from its events.

    Written only by ``services.clocks_recompute`` — in bulk, and for the tickets of every
    ticket write (``clocks_follow``) — which rewrites only the clocks whose values
    changed (``clockrows``: a changed clock is deleted and inserted anew).
    ``decided_at`` is the instant the outcome became certain: the stop of a met clock,
    the breach of a breached one; attainment counts a clock in that period.
    ``customer``, ``team``, ``channel`` and ``priority`` are copied from the ticket so
    that attainment groups over one table.
    """

    # Clocks are derived rows written in bulk by clocks_recompute from existing tickets
    # and promises; without database FK constraints an insert checks no parent rows.
    # Deleting a ticket or promise still deletes its clocks (Django's collector).
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        db_index=False,  # the (ticket, promise) constraint serves it
        db_constraint=False,
        related_name="clocks",
        verbose_name=_("ticket"),
    )
    promise = models.ForeignKey(
        Promise,
        on_delete=models.CASCADE,
        db_index=False,  # clock_attainment_idx (promise, decided_at) serves it
        db_constraint=False,
        related_name="clocks",
        verbose_name=_("promise"),
    )
    metric = models.CharField(_("metric"), max_length=30)
    state = models.CharField(_("state"), max_length=20, choices=ClockState.choices)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    business_elapsed_s = models.BigIntegerField(_("business time used (s)"), default=0)
    elapsed_s = models.BigIntegerField(_("elapsed (s)"), default=0)
    paused_s = models.BigIntegerField(_("business time paused (s)"), default=0)
    breached = models.BooleanField(_("breached"), default=False)
    breach_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    target_s = models.BigIntegerField(_("target (s)"), default=0)
    cycles = models.PositiveIntegerField(_("cycles"), default=0)
    decided_at = models.DateTimeField(_("outcome known at"), null=True, blank=True)
    cause = models.CharField(
        _("main cause"), max_length=24, choices=BreachCause.choices, blank=True, default=""
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        db_constraint=False,
        related_name="+",
        verbose_name=_("customer"),
    )
    team = models.CharField(_("team"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    priority = models.CharField(_("priority"), max_length=2, blank=True)
    computed_at = models.DateTimeField(_("computed at"))  # when these values were written
    # A digest of every value above but computed_at: a recomputation rewrites only the
    # clocks whose digest changed (see measurement.clockrows).
    fingerprint = models.BigIntegerField(_("fingerprint"), default=0, editable=False)

    class Meta:
        ordering = ["ticket_id", "promise_id"]
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "promise"], name="unique_clock_ticket_promise"
            )
        ]
        indexes = [
            # the live at-risk list: open clocks by deadline (only open ones are indexed)
            models.Index(
                fields=["deadline"],
                name="clock_at_risk_idx",
                condition=models.Q(state__in=OPEN_STATES),
            ),
            # running clocks past their warning point (the at-risk list, the warnings)
            models.Index(
                fields=["warn_at"],
                name="clock_warning_idx",
                condition=models.Q(state__in=OPEN_STATES),
            ),
            # attainment of one promise over periods
            models.Index(fields=["promise", "decided_at"], name="clock_attainment_idx"),
            # clocks not decided yet (running, paused, not started): the scope and coverage
            # of attainment count them without reading the decided ones
            models.Index(
                fields=["promise"],
                name="clock_undecided_idx",
                condition=models.Q(decided_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} · {self.metric} · {self.state}"

    def is_breached(self, at: datetime) -> bool:
        """Whether the clock had breached at ``at``."""
        return self.breach_at is not None and self.breach_at <= at

    @property
    def is_open(self) -> bool:
        """Whether the clock still runs (or is paused)."""
        return self.state in OPEN_STATES


class ClockSummary(models.Model):
    """Decided clocks per promise, day, priority, channel and cause: the dashboard's source.

    Changed by every clock write by what the deleted and inserted clocks count
    (``summarycounts``), so the dashboard reads a few thousand rows instead of counting a
    million clocks per request.
    """

    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="+", verbose_name=_("promise")
    )
    day = models.DateField(_("day"))
    priority = models.CharField(_("priority"), max_length=2, blank=True)
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    cause = models.CharField(_("main cause"), max_length=24, blank=True)
    n = models.PositiveIntegerField(_("decided clocks"))
    met = models.PositiveIntegerField(_("met"))

    class Meta:
        ordering = ["promise_id", "day"]
        verbose_name = _("clock summary")
        verbose_name_plural = _("clock summaries")
        indexes = [models.Index(fields=["promise", "day"], name="clock_summary_idx")]

    def __str__(self) -> str:
        return f"{self.promise_id} {self.day}: {self.met}/{self.n}"


class ClockGroupSummary(models.Model):
    """Decided clocks per promise, customer, team and week or month: attainment by
    customer or team without grouping every clock.

    ``period`` is ``"week"`` (``start`` a Monday) or ``"month"`` (``start`` the 1st, also
    answering quarters and all time); every decided clock counts once in each, in the
    UTC period of its ``decided_at``. Kept in step with the clocks by
    ``services.clocks_recompute``, like ``ClockSummary``.
    """

    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="+", verbose_name=_("promise")
    )
    period = models.CharField(_("period"), max_length=5)
    start = models.DateField(_("period start"))
    customer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("customer"),
    )
    team = models.CharField(_("team"), max_length=200, blank=True)
    n = models.PositiveIntegerField(_("decided clocks"))
    met = models.PositiveIntegerField(_("met"))

    class Meta:
        ordering = ["promise_id", "period", "start"]
        verbose_name = _("clock group summary")
        verbose_name_plural = _("clock group summaries")
        indexes = [
            models.Index(fields=["period", "promise", "start"], name="clock_group_summary_idx")
        ]

    def __str__(self) -> str:
        return f"{self.promise_id} {self.period} {self.start}: {self.met}/{self.n}"


class Notification(models.Model):
    """A breach warning for one person: a clock passed its warning point or breached.

    One row per ticket, promise, kind and recipient (a unique constraint), so however
    many workers run the minute's check at once, each person hears of a clock's warning
    and of its breach once. Keyed by ticket and promise rather than by the clock row,
    which a recomputation may replace.
    """

    class Kind(models.TextChoices):
        WARNING = "warning", _("warning")
        BREACH = "breach", _("breach")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("ticket")
    )
    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="+", verbose_name=_("promise")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    at = models.DateTimeField(_("at"))  # the warning point or breach instant of the clock
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "promise", "kind", "user"], name="unique_notification"
            )
        ]
        indexes = [models.Index(fields=["user", "-at"], name="notification_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.ticket_id}/{self.promise_id}"

    @property
    def read(self) -> bool:
        return self.read_at is not None


class FiguresGeneration(models.Model):
    """One row whose ``value`` changes with every write that changes the measured figures.

    Written in the same transaction as the write (``figures.figures_changed``): clock
    writes and summary rebuilds, and saves or deletes of promises and of the names a
    promise is shown with (contract, customer, product, segment). Cached figures are
    keyed on it, so a committed write is never hidden behind a figure computed before
    it. The value is random, not counted up: after a restore from a backup, the next
    write cannot produce a value that named other figures before the restore.
    """

    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("figures generation")
        verbose_name_plural = _("figures generations")

    def __str__(self) -> str:
        return f"{self.value:x}"
