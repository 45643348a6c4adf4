"""Arrival forecast: synthetic truths, intervals, holidays, backtests on the real logs, CLI."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from servicegate.cli_commands import forecast as forecast_cli
from servicegate.engines.backtesting import backtest, seasonal_naive
from servicegate.engines.forecasting import (
    CountSeries,
    Freq,
    count_arrivals,
    forecast_counts,
    local_wallclock,
)
from servicegate.engines.queueing import PlanningInputError
from servicegate.engines.simulation import poisson_arrivals

SHARED_DATA = Path(
    os.environ.get(
        "SERVICEGATE_SHARED_DATA",
        Path(__file__).resolve().parents[3] / ".." / "shared" / "data",
    )
)
UCI_ZIP = SHARED_DATA / "uci-498-incident-event-log" / "incident_event_log.zip"
HELPDESK = SHARED_DATA / "helpdesk-4tu-polato2017" / "helpdesk.csv"
WEEKDAY_SHAPE = np.array([1.3, 1.2, 1.1, 1.0, 0.9, 0.3, 0.2])
START = np.datetime64("2024-01-01", "D")  # a Monday


def _synthetic_days(
    days: int, level: float, rng: np.random.Generator, *, nb: bool = False
) -> CountSeries:
    wd = np.arange(days) % 7
    mean = level * WEEKDAY_SHAPE[wd]
    if nb:  # gamma-mixed Poisson: Var = μ + 0.2 μ²
        mean = rng.gamma(5.0, mean / 5.0)
    return CountSeries(START.astype("datetime64[s]"), "day", rng.poisson(mean).astype(float))


# --- synthetic truths ----------------------------------------------------------------------------


def test_forecast_recovers_the_weekday_profile_and_covers_with_its_interval() -> None:
    rng = np.random.default_rng(1)
    series = _synthetic_days(7 * 30, 100.0, rng)
    fc = forecast_counts(series, horizon=28)
    truth = 100.0 * WEEKDAY_SHAPE[np.arange(28) % 7]
    assert np.allclose(fc.mean, truth, rtol=0.15)
    assert fc.distribution == "poisson"
    future = rng.poisson(truth)
    coverage = np.mean((future >= fc.lower) & (future <= fc.upper))
    assert coverage >= 0.75
    assert str(fc.bucket_starts[0]).startswith(str(START + 7 * 30))


def test_overdispersed_counts_get_negative_binomial_intervals() -> None:
    series = _synthetic_days(7 * 30, 100.0, np.random.default_rng(2), nb=True)
    fc = forecast_counts(series, horizon=7)
    assert fc.distribution == "negative_binomial"
    assert fc.dispersion == pytest.approx(0.2, abs=0.1)
    poisson_width = forecast_counts(
        _synthetic_days(7 * 30, 100.0, np.random.default_rng(2)), horizon=7
    )
    assert np.all(fc.upper - fc.lower > poisson_width.upper - poisson_width.lower)


def test_trend_is_followed() -> None:
    rng = np.random.default_rng(3)
    days = 7 * 12
    level = np.linspace(50, 150, days)
    counts = rng.poisson(level * WEEKDAY_SHAPE[np.arange(days) % 7]).astype(float)
    series = CountSeries(START.astype("datetime64[s]"), "day", counts)
    fc = forecast_counts(series, horizon=7)
    assert fc.mean.sum() > 130 * WEEKDAY_SHAPE.sum()


def test_holidays_lower_the_forecast() -> None:
    series = _synthetic_days(7 * 20, 100.0, np.random.default_rng(4))
    first_future = (START + 7 * 20).astype(object)
    plain = forecast_counts(series, horizon=7)
    holiday = forecast_counts(series, horizon=7, holidays=[first_future])
    assert holiday.mean[0] < 0.5 * plain.mean[0]
    assert np.allclose(holiday.mean[1:], plain.mean[1:])


def test_country_holidays_are_looked_up() -> None:
    # 2024-05-01 (Labour Day, Wednesday) is a public holiday in Germany; past German
    # holidays (New Year, Good Friday, Easter Monday) were as quiet as Sundays
    series = _synthetic_days(7 * 17, 100.0, np.random.default_rng(5))
    for day in ("2024-01-01", "2024-03-29", "2024-04-01"):
        series.counts[int((np.datetime64(day) - START) / np.timedelta64(1, "D"))] = 20.0
    assert str(START + 7 * 17) == "2024-04-29"
    de = forecast_counts(series, horizon=7, country="DE")
    plain = forecast_counts(series, horizon=7)
    assert de.mean[2] < 0.5 * plain.mean[2]
    with pytest.raises(PlanningInputError, match="country"):
        forecast_counts(series, horizon=7, country="XX")


def test_hourly_forecast_keeps_the_daily_total_and_the_hour_profile() -> None:
    rng = np.random.default_rng(6)
    hours = np.arange(24)
    shape = np.where((hours >= 8) & (hours < 18), 1.0, 0.05)
    truth = (WEEKDAY_SHAPE[:, None] * shape[None, :]) * 5
    counts = rng.poisson(np.tile(truth.ravel(), 16)).astype(float)
    series = CountSeries(START.astype("datetime64[s]"), "hour", counts)
    fc = forecast_counts(series, horizon=48)
    assert fc.mean[:24].sum() == pytest.approx(truth[0].sum(), rel=0.15)
    assert fc.mean[10] > 10 * fc.mean[3]


def test_forecast_feeds_the_simulation() -> None:
    series = _synthetic_days(7 * 10, 100.0, np.random.default_rng(7))
    fc = forecast_counts(series, horizon=14)
    times = poisson_arrivals(fc.to_piecewise_rate(), np.random.default_rng(0))
    assert times.size == pytest.approx(fc.mean.sum(), rel=0.1)


def test_counting_and_seasonal_naive() -> None:
    stamps = np.array(
        ["2024-01-01T08:00", "2024-01-01T09:30", "2024-01-03T23:59"], dtype="datetime64[s]"
    )
    series = count_arrivals(stamps)
    assert series.counts.tolist() == [2.0, 0.0, 1.0]
    hourly = count_arrivals(stamps, freq="hour")
    assert hourly.counts.size == 72 and hourly.counts[8] == 1 and hourly.counts[9] == 1
    week = CountSeries(START.astype("datetime64[s]"), "day", np.arange(14.0))
    assert seasonal_naive(week, 9).tolist() == [7, 8, 9, 10, 11, 12, 13, 7, 8]


def test_local_wallclock_follows_daylight_saving() -> None:
    winter = datetime(2024, 1, 15, 12, tzinfo=dt.UTC).timestamp()
    summer = datetime(2024, 7, 15, 12, tzinfo=dt.UTC).timestamp()
    local = local_wallclock(np.array([winter, summer]), "Europe/Berlin")
    assert [str(t) for t in local] == ["2024-01-15T13:00:00", "2024-07-15T14:00:00"]


def test_backtest_on_synthetic_data_beats_seasonal_naive() -> None:
    series = _synthetic_days(7 * 20, 40.0, np.random.default_rng(8))
    score = backtest(series, horizon=7, origins=8)
    assert score.beats_baseline and len(score.origins) == 8


# --- bad inputs ----------------------------------------------------------------------------------


def test_bad_inputs_are_refused() -> None:
    series = _synthetic_days(30, 10.0, np.random.default_rng(0))
    with pytest.raises(PlanningInputError, match="no arrival timestamps"):
        count_arrivals(np.array([], dtype="datetime64[s]"))
    with pytest.raises(PlanningInputError, match="horizon"):
        forecast_counts(series, horizon=0)
    with pytest.raises(PlanningInputError, match="at least 14 are needed"):
        forecast_counts(series.head(10), horizon=7)
    with pytest.raises(PlanningInputError, match="arrival rate must be positive"):
        forecast_counts(CountSeries(series.start, "day", np.zeros(30)), horizon=7)
    with pytest.raises(PlanningInputError, match="freq"):
        count_arrivals(np.array([0.0]), freq="minute")  # type: ignore[arg-type]
    with pytest.raises(PlanningInputError, match="too short"):
        backtest(series, horizon=7, origins=8)


# --- the real logs -------------------------------------------------------------------------------


def _uci_opened_at() -> NDArray[np.datetime64]:
    first: dict[str, str] = {}
    with zipfile.ZipFile(UCI_ZIP) as archive, archive.open("incident_event_log.csv") as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
            first.setdefault(row["number"], row["opened_at"])
    parsed = [datetime.strptime(v, "%d/%m/%Y %H:%M") for v in first.values()]
    return np.array(parsed, dtype="datetime64[s]")


def _helpdesk_first_events() -> NDArray[np.datetime64]:
    first: dict[str, str] = {}
    with HELPDESK.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            stamp = row["Complete Timestamp"][:19]
            if row["Case ID"] not in first or stamp < first[row["Case ID"]]:
                first[row["Case ID"]] = stamp
    return np.array(
        [v.replace("/", "-").replace(" ", "T") for v in first.values()], dtype="datetime64[s]"
    )


@pytest.mark.realdata
@pytest.mark.skipif(not UCI_ZIP.is_file(), reason=f"UCI incident log not found at {UCI_ZIP}")
@pytest.mark.parametrize(("freq", "horizon"), [("day", 7), ("hour", 7 * 24)])
def test_uci_incident_log_beats_seasonal_naive(freq: Freq, horizon: int) -> None:
    """Incidents are dense from March to May 2016 (24,437 of 24,918); the backtest runs there."""
    series = count_arrivals(
        _uci_opened_at(),
        freq=freq,
        start=np.datetime64("2016-03-01"),
        end=np.datetime64("2016-06-01"),
    )
    score = backtest(series, horizon=horizon, origins=6)
    assert score.model_mase < score.naive_mase, score
    assert score.model_wape < score.naive_wape, score


@pytest.mark.realdata
@pytest.mark.skipif(not HELPDESK.is_file(), reason=f"help-desk log not found at {HELPDESK}")
@pytest.mark.parametrize(("freq", "horizon"), [("day", 7), ("hour", 7 * 24)])
def test_helpdesk_log_beats_seasonal_naive(freq: Freq, horizon: int) -> None:
    series = count_arrivals(_helpdesk_first_events(), freq=freq)
    score = backtest(series, horizon=horizon, origins=40, country="IT")
    assert score.model_mase < score.naive_mase, score
    assert score.model_wape < score.naive_wape, score


# --- CLI -----------------------------------------------------------------------------------------


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="servicegate")
    forecast_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def _write_csv(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "opened_at"])
        writer.writerows(rows)


def test_cli_forecasts_from_a_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = np.random.default_rng(0)
    rows = []
    for day in range(70):
        for k in range(int(rng.poisson(20 * WEEKDAY_SHAPE[day % 7]))):
            moment = datetime(2024, 1, 1, 9) + dt.timedelta(days=day, minutes=k)
            rows += [(f"INC{day}-{k}", moment.strftime("%d/%m/%Y %H:%M"))] * 2  # event-log rows
    rows.append(("INC-missing", "?"))
    path = tmp_path / "log.csv"
    _write_csv(path, rows)
    argv = ["forecast", "--input", str(path), "--column", "opened_at", "--id-column", "number"]
    argv += ["--format", "%d/%m/%Y %H:%M", "--horizon", "14d", "--json"]
    assert _run(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["arrivals"] == len(rows) // 2
    assert len(out["forecast"]["buckets"]) == 14
    assert out["backtest"]["naive_mase"] > 0
    assert _run(argv[:-1]) == 0
    assert "seasonal naive" in capsys.readouterr().out


def test_cli_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "log.csv"
    _write_csv(path, [("a", "yesterday")])
    assert _run(["forecast", "--input", str(path), "--column", "opened_at"]) == 2
    assert "Line 2" in capsys.readouterr().err
    assert _run(["forecast", "--input", str(path), "--column", "closed_at"]) == 2
    assert "closed_at" in capsys.readouterr().err
    assert _run(["forecast", "--input", str(tmp_path / "none.csv"), "--column", "x"]) == 2
    assert capsys.readouterr().err.startswith("servicegate: error: ")
