"""On the demo organisation: a draft copy of every promise that carries clocks replays to
exactly that promise's decided clocks (n and met) on the tickets of its validity."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Min
from django.utils import timezone

from servicegate.accounts.services import sync_roles
from servicegate.core.demo import build_demo
from servicegate.measurement.models import Clock
from servicegate.measurement.replay import history_replay
from servicegate.measurement.services import clocks_recompute
from servicegate.operations.models import Ticket
from servicegate.promises.models import Promise


def _day(d: date) -> datetime:
    return datetime.combine(d, time(), tzinfo=UTC)


def test_draft_copies_replay_to_the_stored_clocks(db: None) -> None:
    # given the demo, its clocks computed at one instant
    sync_roles()
    build_demo(seed=7, report=lambda _msg: None)
    now = timezone.now()
    clocks_recompute(now=now)
    first = Ticket.objects.aggregate(first=Min("opened_at"))["first"].date()
    measured = Promise.objects.filter(pk__in=Clock.objects.values("promise_id")).order_by("pk")
    checked = 0
    for live in measured:
        start = max(first, live.valid_from)
        end = min(now.date(), live.valid_to or now.date())
        stored = Clock.objects.filter(
            promise=live,
            decided_at__isnull=False,
            ticket__opened_at__gte=_day(start),
            ticket__opened_at__lt=_day(end + timedelta(days=1)),
        )
        # when a draft with the same terms and scope, valid only in ten years, is replayed
        draft = Promise.objects.get(pk=live.pk)
        draft.pk, draft.state, draft.valid_from, draft.valid_to = (
            None,
            "draft",
            date(2036, 1, 1),
            None,
        )
        draft.save()
        replay = history_replay(promise=draft, start=start, end=end, now=now)
        # then
        expected = (stored.count(), stored.filter(breached=False).count())
        assert (replay.total.n, replay.total.met) == expected, live
        checked += expected[0] > 0
    assert checked >= 5
