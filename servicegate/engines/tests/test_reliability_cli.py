"""``servicegate reliability fit|replacement``: JSON out, one sentence and exit 2 on bad input."""

from __future__ import annotations

import json

import pytest

from servicegate.cli import main
from servicegate.engines.tests.test_reliability import DOCS_30


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["reliability", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_fit_prints_the_weibull_parameters_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    failures = ",".join(str(t) for t in DOCS_30)
    code, out, _ = run(capsys, "fit", "--failures", failures, "--json")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {
        "alpha",
        "beta",
        "loglik",
        "alpha_ci",
        "beta_ci",
        "n_failures",
        "n_censored",
    }
    assert payload["alpha"] == pytest.approx(51.858, rel=5e-5)
    assert payload["beta"] == pytest.approx(2.80086, rel=5e-5)
    assert payload["loglik"] == pytest.approx(-129.063, rel=5e-5)
    assert payload["beta_ci"] == pytest.approx([2.09624, 3.74233], rel=5e-5)
    assert (payload["n_failures"], payload["n_censored"]) == (30, 0)


def test_fit_with_censored_units(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "fit", "--failures", "120, 340, 95, 410", "--censored", "500,500 450", "--json"
    )
    assert code == 0
    payload = json.loads(out)
    assert (payload["n_failures"], payload["n_censored"]) == (4, 3)
    assert payload["alpha_ci"][0] < payload["alpha"] < payload["alpha_ci"][1]


def test_fit_prints_a_table_without_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "fit", "--failures", "10,20,30", "--ci", "0.9")
    assert code == 0
    assert "shape β" in out and "90%" in out and "failures / censored  3 / 0" in out


def test_replacement_prints_the_reference_interval(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "replacement",
        "--alpha",
        "1000",
        "--beta",
        "2.5",
        "--cost-preventive",
        "1",
        "--cost-failure",
        "5",
        "--json",
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["interval"] == pytest.approx(493.05, rel=5e-5)
    assert payload["cost_rate"] == pytest.approx(0.0034620, rel=5e-5)
    assert payload["saving"] == pytest.approx(
        payload["cost_rate_run_to_failure"] - payload["cost_rate"]
    )


def test_replacement_without_wear_out_has_no_interval(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--alpha", "1000", "--beta", "0.7", "--cost-preventive", "1", "--cost-failure", "5"]
    code, out, _ = run(capsys, "replacement", *argv, "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["interval"] is None and payload["cost_rate"] is None
    assert "does not increase" in payload["reason"]
    code, out, _ = run(capsys, "replacement", *argv)
    assert code == 0 and "none: The failure rate does not increase" in out


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["fit", "--failures", "12"], "A fit needs at least 2 failure times; got 1"),
        (["fit", "--failures", "12,-3"], "The failure times must be positive ages"),
        (["fit", "--failures", "12,0"], "0 is zero or negative"),
        (["fit", "--failures", "12,x"], "The value 'x' in --failures is not a number."),
        (["fit", "--failures", "12,14", "--censored", "0"], "The censored times must be positive"),
        (["fit", "--failures", "12,14", "--ci", "2"], "The confidence level must lie between"),
        (
            [
                "replacement",
                "--alpha",
                "1000",
                "--beta",
                "2.5",
                "--cost-preventive",
                "5",
                "--cost-failure",
                "5",
            ],
            "The failure cost (5) must be higher than the preventive cost (5)",
        ),
        (
            [
                "replacement",
                "--alpha",
                "ten",
                "--beta",
                "2.5",
                "--cost-preventive",
                "1",
                "--cost-failure",
                "5",
            ],
            "The value 'ten' for --alpha is not a number.",
        ),
    ],
)
def test_bad_input_is_one_sentence_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], sentence: str
) -> None:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 2
    assert out == ""
    assert err.startswith("servicegate: error: ") and sentence in err
    assert err.count("\n") == 1
