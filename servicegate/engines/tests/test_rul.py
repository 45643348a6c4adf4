"""Remaining useful life from C-MAPSS condition data: format, model, FD001 figure, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from servicegate.cli import main
from servicegate.engines import rul
from servicegate.engines.reliability import ReliabilityDataError

FD001 = "nasa-cmapss-fd001"
#: RMSE of a quick gradient-boosting baseline on rolling means (the issue's figure)
BASELINE_RMSE = 20.8


def synthetic_cmapss(units: int, *, seed: int, cut: bool = False) -> tuple[str, list[int]]:
    """Engines that wear out: 5 sensors drift exponentially towards failure, 3 are noise,
    the rest constant. ``cut`` stops each unit early and returns the true RULs."""
    rng = np.random.default_rng(seed)
    lines, remaining = [], []
    for unit in range(1, units + 1):
        life = int(rng.integers(120, 260))
        stop = int(rng.integers(40, life - 5)) if cut else life
        remaining.append(life - stop)
        for cycle in range(1, stop + 1):
            wear = np.exp(4.0 * cycle / life) / np.exp(4.0)
            settings = rng.normal(0, 0.002, size=3)
            sensors = np.r_[
                518.67,  # constant channel
                640 + 5 * wear + rng.normal(0, 0.4, size=5),
                rng.normal(100, 1, size=3),
                np.full(12, 100.0),  # more constant channels
            ]
            values = [unit, cycle, *settings, *sensors]
            lines.append(" ".join(f"{v:.4f}" if i > 1 else str(v) for i, v in enumerate(values)))
    return "\n".join(lines) + "\n", remaining


# --- the format ---------------------------------------------------------------------------------


def test_parse_sorts_rows_and_finds_each_units_last_cycle() -> None:
    text, _ = synthetic_cmapss(3, seed=1)
    rows = text.splitlines()
    data = rul.parse_cmapss("\n".join(reversed(rows)))
    assert data.sensors.shape == (len(rows), 21) and data.settings.shape == (len(rows), 3)
    assert data.unit_ids.tolist() == [1, 2, 3]
    last = rul.last_cycles(data)
    assert last.units.tolist() == [1, 2, 3]
    assert last.cycles.tolist() == [
        max(int(r.split()[1]) for r in rows if r.split()[0] == str(u)) for u in (1, 2, 3)
    ]
    targets = rul.training_targets(data)
    assert targets.max() == rul.RUL_CEILING and targets[data.cycles == last.cycles[0]][0] == 0


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("1 1 0.1 0.2\n", "Row 1 of the file has 4 columns, but a C-MAPSS file has 26"),
        ("1 1" + " 0.5" * 24 + "\n1 2" + " x" * 24 + "\n", "Row 2 of the file holds a value"),
        ("\n\n", "The file holds no C-MAPSS rows."),
        ("1.5 1" + " 0.5" * 24 + "\n", "must be whole numbers of at least 1"),
        ("1 1" + " 0.5" * 24 + "\n1 1" + " 0.5" * 24 + "\n", "lists a cycle of a unit twice"),
    ],
)
def test_a_malformed_file_is_refused_with_one_sentence(text: str, sentence: str) -> None:
    with pytest.raises(ReliabilityDataError, match=sentence.replace(".", r"\.")):
        rul.parse_cmapss(text)


def test_rmse_needs_one_prediction_per_unit() -> None:
    assert rul.rmse(np.array([1.0, 3.0]), np.array([1.0, 1.0])) == pytest.approx(2**0.5)
    with pytest.raises(ReliabilityDataError, match="2 predictions but 3 true values"):
        rul.rmse(np.zeros(2), np.zeros(3))


# --- the model ----------------------------------------------------------------------------------


def test_the_model_learns_the_wear_of_synthetic_engines() -> None:
    train_text, _ = synthetic_cmapss(30, seed=2)
    test_text, truth = synthetic_cmapss(20, seed=3, cut=True)
    model = rul.fit_rul_model(rul.parse_cmapss(train_text), seed=0, threads=1, rounds=60)
    assert model.channels.tolist() == list(range(1, 9))  # the constant sensors are dropped
    predicted = rul.predict_rul(model, rul.parse_cmapss(test_text))
    actual = np.minimum(np.asarray(truth, dtype=float), rul.RUL_CEILING)
    assert predicted.shape == (20,)
    assert np.all((predicted >= 0) & (predicted <= rul.RUL_CEILING))
    naive = rul.rmse(np.full(20, actual.mean()), actual)
    assert rul.rmse(predicted, actual) < 0.6 * naive


def test_training_needs_two_units() -> None:
    text, _ = synthetic_cmapss(1, seed=4)
    with pytest.raises(ReliabilityDataError, match="at least 2 units"):
        rul.fit_rul_model(rul.parse_cmapss(text))
    with pytest.raises(ReliabilityDataError, match="boosting rounds must be at least 1"):
        rul.fit_rul_model(rul.parse_cmapss(text), rounds=0)


def test_fd001_rmse_beats_the_baseline(shared_data: Path) -> None:
    """NASA C-MAPSS FD001: 100 test engines against ``RUL_FD001.txt``."""
    folder = shared_data / FD001
    model = rul.fit_rul_model(rul.read_cmapss(folder / "train_FD001.txt"), seed=0, threads=1)
    predicted = rul.predict_rul(model, rul.read_cmapss(folder / "test_FD001.txt"))
    error = rul.rmse(predicted, rul.read_true_rul(folder / "RUL_FD001.txt"))
    assert error < BASELINE_RMSE
    assert error <= 13.5  # 12.748 with scikit-learn 1.9


# --- the CLI ------------------------------------------------------------------------------------


def test_cli_prints_one_prediction_per_test_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train_text, _ = synthetic_cmapss(12, seed=5)
    test_text, truth = synthetic_cmapss(7, seed=6, cut=True)
    (tmp_path / "train.txt").write_text(train_text)
    (tmp_path / "test.txt").write_text(test_text)
    (tmp_path / "rul.txt").write_text("\n".join(str(t) for t in truth) + "\n")
    argv = ["reliability", "rul", "--format", "cmapss", "--train", str(tmp_path / "train.txt")]
    argv += ["--test", str(tmp_path / "test.txt"), "--threads", "1", "--rounds", "20"]
    assert main([*argv, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert len(payload["predictions"]) == 7 and "rmse" not in payload
    assert main([*argv, "--json", "--truth", str(tmp_path / "rul.txt")]) == 0
    scored = json.loads(capsys.readouterr().out)
    assert scored["predictions"] == payload["predictions"]
    assert scored["rmse"] == pytest.approx(
        rul.rmse(np.asarray(payload["predictions"]), np.asarray(truth, dtype=float)), abs=1e-2
    )
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines()[:2][0] == "unit,predicted_rul"


@pytest.mark.parametrize(
    ("train", "fmt", "sentence"),
    [
        ("1 1 2 3\n", "cmapss", "has 4 columns, but a C-MAPSS file has 26"),
        (None, "cmapss", "cannot be read (No such file or directory)."),
        ("", "csv", "The format 'csv' is not known; use cmapss."),
    ],
)
def test_cli_refuses_bad_files_with_exit_code_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    train: str | None,
    fmt: str,
    sentence: str,
) -> None:
    path = tmp_path / "train.txt"
    if train is not None:
        path.write_text(train)
    code = main(
        ["reliability", "rul", "--format", fmt, "--train", str(path), "--test", str(path), "--json"]
    )
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("servicegate: error: ") and sentence in err
    assert err.count("\n") == 1
