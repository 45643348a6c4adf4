"""The demo's capacity plan is plausible: twelve technicians' ordinary weeks land at 60–95 %
utilisation and are not over capacity, the weeks of the safety-inspection campaign go
over 100 % and are marked, and the hands-on time per reactive ticket is measured from the
tickets' time in progress. (One test: building the demo takes most of its time.)

Weeks whose available hours are cut by holidays or absences are left out of "ordinary":
the forecast does not know holidays, so those weeks are tighter (docs/scheduling.md).
"""

from __future__ import annotations

import pytest

from servicegate.core.demo import build_demo
from servicegate.planning.capacity import capacity_plan


@pytest.mark.django_db(transaction=False)
def test_the_demo_capacity_plan_is_in_a_plausible_band() -> None:
    # given the small demo organisation
    ctx = build_demo(seed=7, report=lambda _msg: None)
    campaign = set(ctx.objects["capacity_campaign"])
    # when
    plan = capacity_plan(weeks=8)
    # then the hands-on time is measured and between one and two and a half hours
    assert plan.aht_measured and plan.work_tickets >= 1000
    assert 3600 <= plan.aht_seconds <= 2.5 * 3600
    full = max(w.available_hours for w in plan.weeks)
    ordinary = [
        w for w in plan.weeks if w.week not in campaign and w.available_hours >= 0.95 * full
    ]
    heavy = [w for w in plan.weeks if w.week in campaign]
    assert ordinary and len(heavy) == 2, plan.weeks
    for week in ordinary:
        assert week.utilisation is not None and 0.60 <= week.utilisation <= 0.95, week
        assert not week.over_capacity, week
    for week in heavy:
        assert week.utilisation is not None and week.utilisation > 1.0, week
        assert week.over_capacity, week
