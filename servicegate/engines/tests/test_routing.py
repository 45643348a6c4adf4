"""Day plans keep skills, windows, shifts and non-overlap; jobs nobody can do carry the
right reason; fixed visits keep their technician and start."""

from __future__ import annotations

import time

import numpy as np
import pytest

from servicegate.engines.routing import (
    REASONS,
    DayPlan,
    Job,
    RoutingInputError,
    Tech,
    haversine_km,
    plan_day,
    travel_matrix,
)

HOUR = 3600
DAY = (8 * HOUR, 17 * HOUR)


def grid_travel(points: np.ndarray, seconds_per_unit: float = 60.0) -> np.ndarray:
    """Euclidean travel times between points (a metric, so the triangle inequality holds)."""
    diff = points[:, None, :] - points[None, :, :]
    return np.asarray(np.rint(np.hypot(diff[..., 0], diff[..., 1]) * seconds_per_unit))


def check_plan(plan: DayPlan, jobs: list[Job], techs: list[Tech], travel: np.ndarray) -> None:
    """Assert every constraint of the model on a plan (the property the tests share)."""
    by_id = {j.id: j for j in jobs}
    travel = np.rint(travel).astype(np.int64)
    planned = [v.job for route in plan.routes.values() for v in route]
    left = [job_id for job_id, _ in plan.unassigned]
    # every job is either planned once or unassigned once, with a known reason
    assert sorted(planned + left) == sorted(by_id)
    assert all(reason in REASONS for _, reason in plan.unassigned)
    assert set(plan.routes) == {t.id for t in techs}
    total = 0
    for tech in techs:
        here, clock = tech.start_location, tech.shift[0]
        route = plan.routes[tech.id]
        for visit in route:
            job = by_id[visit.job]
            assert job.skills <= tech.skills, "the technician holds every required skill"
            assert visit.travel_s == travel[here, job.location]
            assert visit.start_s >= clock + visit.travel_s, "no overlap, travel included"
            assert job.window[0] <= visit.start_s <= job.window[1], "starts inside the window"
            assert visit.end_s == visit.start_s + job.duration_s
            if job.fixed_technician is not None:
                assert job.fixed_technician == tech.id
            if job.fixed_start_s is not None:
                assert visit.start_s == job.fixed_start_s
            total += visit.travel_s
            here, clock = job.location, visit.end_s
        if route:
            back = int(travel[here, tech.end_location])
            assert clock + back <= tech.shift[1], "back home within the shift"
            total += back
    assert plan.travel_s == total
    for job_id, reason in plan.unassigned:
        job = by_id[job_id]
        crew = [t for t in techs if job.fixed_technician in (None, t.id)]
        if reason == "no_technician":
            assert not crew
        elif reason == "no_skill":
            assert crew and not [t for t in crew if job.skills <= t.skills]
        else:
            skilled = [t for t in crew if job.skills <= t.skills]
            alone = [t for t in skilled if fits_alone(job, t, travel)]
            assert skilled and bool(alone) == (reason == "capacity")


def fits_alone(job: Job, tech: Tech, travel: np.ndarray) -> bool:
    """Whether ``tech`` could do ``job`` as the only visit of the day."""
    arrive = tech.shift[0] + int(travel[tech.start_location, job.location])
    start = max(arrive, job.window[0])
    if job.fixed_start_s is not None:
        start = job.fixed_start_s if arrive <= job.fixed_start_s else -1
    back = int(travel[job.location, tech.end_location])
    return (
        job.window[0] <= start <= job.window[1] and start + job.duration_s + back <= tech.shift[1]
    )


def test_haversine_gives_the_great_circle_distance_and_broadcasts() -> None:
    # Berlin (52.5200, 13.4050) to Munich (48.1351, 11.5820): about 504 km
    assert haversine_km(52.52, 13.405, 48.1351, 11.582) == pytest.approx(504.2, abs=1.0)
    lat = np.array([52.52, 48.1351, 50.9375])
    lon = np.array([13.405, 11.582, 6.9603])
    matrix = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    assert matrix.shape == (3, 3)
    assert np.allclose(np.diag(matrix), 0.0)
    assert np.allclose(matrix, matrix.T)
    # one degree of latitude is R·π/180
    assert haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(6371.0088 * np.pi / 180)


def test_travel_is_the_great_circle_times_the_road_factor_at_the_average_speed() -> None:
    lat, lon = [52.52, 48.1351], [13.405, 11.582]
    km, seconds = travel_matrix(lat, lon, road_factor=1.3, speed_kmh=60.0)
    straight = float(haversine_km(lat[0], lon[0], lat[1], lon[1]))
    assert km[0, 1] == pytest.approx(1.3 * straight)
    assert seconds[0, 1] == round(1.3 * straight * 60)  # 60 km/h: one minute per km
    assert seconds.dtype == np.int64 and seconds[0, 0] == 0
    with pytest.raises(RoutingInputError, match="road factor"):
        travel_matrix(lat, lon, road_factor=0.9)


def test_each_job_goes_to_a_technician_who_holds_its_skills() -> None:
    travel = grid_travel(np.array([[0, 0], [10, 0], [0, 10], [5, 5], [8, 2]], dtype=float))
    techs = [
        Tech(id=1, start_location=0, end_location=0, shift=DAY, skills=frozenset({"gas"})),
        Tech(id=2, start_location=1, end_location=1, shift=DAY, skills=frozenset({"electric"})),
    ]
    jobs = [
        Job(id=10, location=2, duration_s=HOUR, window=DAY, skills=frozenset({"gas"})),
        Job(id=11, location=3, duration_s=HOUR, window=DAY, skills=frozenset({"electric"})),
        Job(id=12, location=4, duration_s=HOUR, window=DAY, skills=frozenset({"gas", "electric"})),
    ]
    plan = plan_day(jobs=jobs, techs=techs, travel_s=travel, time_limit_s=0.2)
    check_plan(plan, jobs, techs, travel)
    assert [v.job for v in plan.routes[1]] == [10]
    assert [v.job for v in plan.routes[2]] == [11]
    assert plan.unassigned == [(12, "no_skill")]


def test_a_day_without_technicians_leaves_every_job_unassigned() -> None:
    jobs = [
        Job(id=1, location=0, duration_s=600, window=DAY),
        Job(id=2, location=1, duration_s=600, window=DAY),
    ]
    plan = plan_day(jobs=jobs, techs=[], travel_s=np.zeros((2, 2)))
    assert plan == DayPlan(
        routes={}, unassigned=[(1, "no_technician"), (2, "no_technician")], travel_s=0
    )


def test_a_window_that_cannot_be_met_is_the_reason() -> None:
    travel = grid_travel(np.array([[0, 0], [100, 0]], dtype=float))  # 6000 s away
    tech = Tech(id=1, start_location=0, end_location=0, shift=DAY, skills=frozenset())
    jobs = [
        Job(
            id=1, location=1, duration_s=600, window=(DAY[0], DAY[0] + HOUR)
        ),  # unreachable in time
        Job(id=2, location=0, duration_s=600, window=(18 * HOUR, 19 * HOUR)),  # after the shift
        Job(
            id=3, location=0, duration_s=2 * HOUR, window=(16 * HOUR, 16 * HOUR)
        ),  # ends after the shift
        Job(id=4, location=0, duration_s=600, window=(12 * HOUR, 11 * HOUR)),  # empty window
        Job(id=5, location=1, duration_s=600, window=DAY),
    ]
    plan = plan_day(jobs=jobs, techs=[tech], travel_s=travel, time_limit_s=0.2)
    check_plan(plan, jobs, [tech], travel)
    assert plan.unassigned == [(1, "window"), (2, "window"), (3, "window"), (4, "window")]
    assert plan.routes[1][0].start_s == DAY[0] + 6000


def test_a_full_day_leaves_the_rest_for_capacity() -> None:
    travel = np.zeros((1, 1))
    tech = Tech(id=7, start_location=0, end_location=0, shift=(0, 4 * HOUR), skills=frozenset())
    jobs = [Job(id=i, location=0, duration_s=HOUR, window=(0, 4 * HOUR)) for i in range(6)]
    plan = plan_day(jobs=jobs, techs=[tech], travel_s=travel, time_limit_s=0.2)
    check_plan(plan, jobs, [tech], travel)
    assert len(plan.routes[7]) == 4
    assert [reason for _, reason in plan.unassigned] == ["capacity", "capacity"]


def test_an_urgent_job_is_inserted_and_fixed_visits_keep_technician_and_start() -> None:
    # given a plan for two technicians
    rng = np.random.default_rng(7)
    points = rng.uniform(0, 60, size=(12, 2))
    travel = grid_travel(points)
    techs = [
        Tech(id=1, start_location=0, end_location=0, shift=DAY, skills=frozenset({"a"})),
        Tech(id=2, start_location=1, end_location=1, shift=DAY, skills=frozenset({"a", "b"})),
    ]
    jobs = [Job(id=100 + k, location=2 + k, duration_s=45 * 60, window=DAY) for k in range(8)]
    first = plan_day(jobs=jobs, techs=techs, travel_s=travel, time_limit_s=0.3)
    check_plan(first, jobs, techs, travel)
    # when the morning's first visits have started and an urgent job arrives at 11:00
    started = {
        route[0].job: (tech_id, route[0].start_s)
        for tech_id, route in first.routes.items()
        if route
    }
    fixed = [
        Job(
            id=j.id,
            location=j.location,
            duration_s=j.duration_s,
            window=j.window,
            fixed_technician=started[j.id][0] if j.id in started else None,
            fixed_start_s=started[j.id][1] if j.id in started else None,
        )
        for j in jobs
    ]
    urgent = Job(
        id=999, location=10, duration_s=HOUR, window=(11 * HOUR, 12 * HOUR), skills=frozenset({"b"})
    )
    second = plan_day(jobs=[*fixed, urgent], techs=techs, travel_s=travel, time_limit_s=0.3)
    # then the urgent job is planned inside its window, started visits did not move
    check_plan(second, [*fixed, urgent], techs, travel)
    assert 999 in [v.job for v in second.routes[2]]
    for job_id, (tech_id, start) in started.items():
        assert [(v.job, v.start_s) for v in second.routes[tech_id] if v.job == job_id] == [
            (job_id, start)
        ]


def test_a_fixed_job_whose_technician_is_not_working_has_no_technician() -> None:
    tech = Tech(id=1, start_location=0, end_location=0, shift=DAY, skills=frozenset())
    jobs = [
        Job(id=1, location=0, duration_s=600, window=DAY, fixed_technician=2),
        Job(
            id=2, location=0, duration_s=600, window=DAY, fixed_start_s=7 * HOUR
        ),  # before the shift
    ]
    plan = plan_day(jobs=jobs, techs=[tech], travel_s=np.zeros((1, 1)), time_limit_s=0.1)
    assert plan.unassigned == [(1, "no_technician"), (2, "window")]


@pytest.mark.parametrize(
    ("kwargs", "sentence"),
    [
        ({"travel_s": np.zeros((2, 3))}, "must be square"),
        ({"travel_s": -np.ones((2, 2))}, "negative"),
        ({"travel_s": np.full((2, 2), np.nan)}, "finite"),
        ({"jobs": [Job(id=1, location=5, duration_s=1, window=DAY)]}, "outside the travel matrix"),
        ({"jobs": [Job(id=1, location=0, duration_s=1, window=DAY)] * 2}, "unique"),
    ],
)
def test_wrong_input_is_refused_with_one_sentence(kwargs: dict[str, object], sentence: str) -> None:
    args: dict[str, object] = {"jobs": [], "techs": [], "travel_s": np.zeros((2, 2))} | kwargs
    with pytest.raises(RoutingInputError, match=sentence):
        plan_day(**args)  # type: ignore[arg-type]


def random_day(rng: np.random.Generator) -> tuple[list[Job], list[Tech], np.ndarray]:
    """A small random day: 0–4 technicians, 1–12 jobs, skills, windows, fixed visits."""
    n_techs, n_jobs = int(rng.integers(0, 5)), int(rng.integers(1, 13))
    points = rng.uniform(0, 80, size=(n_techs * 2 + n_jobs, 2))
    travel = grid_travel(points, seconds_per_unit=float(rng.uniform(20, 90)))
    skills = ["gas", "electric", "water"]
    techs = [
        Tech(
            id=v + 1,
            start_location=2 * v,
            end_location=2 * v + int(rng.integers(0, 2)),
            shift=(int(rng.integers(6, 10)) * HOUR, int(rng.integers(14, 19)) * HOUR),
            skills=frozenset(s for s in skills if rng.random() < 0.6),
        )
        for v in range(n_techs)
    ]
    jobs = []
    for k in range(n_jobs):
        start = int(rng.integers(6 * HOUR, 17 * HOUR))
        fixed_tech = int(rng.integers(1, n_techs + 2)) if rng.random() < 0.15 else None
        jobs.append(
            Job(
                id=1000 + k,
                location=2 * n_techs + k,
                duration_s=int(rng.integers(1, 9)) * 15 * 60,
                window=(start, start + int(rng.integers(0, 6 * HOUR))),
                skills=frozenset(s for s in skills if rng.random() < 0.25),
                fixed_technician=fixed_tech,
                fixed_start_s=start + int(rng.integers(0, HOUR)) if rng.random() < 0.1 else None,
            )
        )
    return jobs, techs, travel


@pytest.mark.parametrize("seed", range(60))
def test_every_random_day_plan_keeps_every_constraint(seed: int) -> None:
    jobs, techs, travel = random_day(np.random.default_rng(seed))
    plan = plan_day(jobs=jobs, techs=techs, travel_s=travel, time_limit_s=0.05)
    check_plan(plan, jobs, techs, travel)


def test_a_small_day_does_not_search_for_the_whole_time_limit() -> None:
    travel = grid_travel(np.array([[0, 0], [3, 4], [6, 8]], dtype=float))
    tech = Tech(id=1, start_location=0, end_location=0, shift=DAY, skills=frozenset())
    jobs = [Job(id=k, location=k, duration_s=600, window=DAY) for k in (1, 2)]
    started = time.monotonic()
    plan = plan_day(jobs=jobs, techs=[tech], travel_s=travel, time_limit_s=60.0)
    assert time.monotonic() - started < 30  # 0.7 s of search, generous for a busy machine
    assert [v.job for v in plan.routes[1]] in ([1, 2], [2, 1])
