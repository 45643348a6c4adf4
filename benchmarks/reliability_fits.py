"""Weibull benchmark: 1,000 censored fits by our engine and by the ``reliability`` package.

Each data set is drawn from a Weibull life (shape 0.7–4, scale 100–10,000) with random
end-of-observation ages, so about a third of the units are right censored; sizes run
from 10 to 200 units. Both engines fit the same data sets in one run; the table
gives fits per second, the ratio, and how closely the answers agree (relative
difference of α and β, and how often one engine found the higher likelihood).

    python benchmarks/reliability_fits.py [--fits N] [--peer-fits N] [--seed S]
    servicegate bench reliability_fits --quick

Benchmarks are not tests: nothing here fails on a time.
"""

from __future__ import annotations

import argparse
import time
import warnings
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from servicegate.engines.reliability import _weibull_loglik, weibull_fit

Sample = tuple[NDArray[np.float64], NDArray[np.float64]]


class Fit(NamedTuple):
    """One engine's answer; a NamedTuple because `servicegate bench` loads this file
    without registering it as a module, which dataclasses need."""

    alpha: float
    beta: float
    loglik: float


def samples(count: int, seed: int) -> list[Sample]:
    """``count`` censored data sets with at least 2 distinct failures each."""
    rng = np.random.default_rng(seed)
    out: list[Sample] = []
    while len(out) < count:
        n = int(rng.integers(10, 201))
        beta = rng.uniform(0.7, 4.0)
        alpha = 10 ** rng.uniform(2, 4)
        lives = alpha * rng.weibull(beta, size=n)
        stop = alpha * rng.uniform(0.3, 2.5, size=n)
        failures, censored = lives[lives <= stop], stop[lives > stop]
        if np.unique(failures).size >= 2:
            # ages to 3 decimals (ties happen, as in real records), never 0
            out.append((np.maximum(np.round(failures, 3), 1e-3), np.round(censored, 3)))
    return out


def run_ours(data: list[Sample]) -> tuple[float, list[Fit]]:
    start = time.perf_counter()
    fits = [weibull_fit(f, c) for f, c in data]
    elapsed = time.perf_counter() - start
    return elapsed, [Fit(x.alpha, x.beta, x.loglik) for x in fits]


def run_peer(data: list[Sample]) -> tuple[float, list[Fit]]:
    from reliability.Fitters import Fit_Weibull_2P  # type: ignore[import-untyped]

    fits: list[Fit] = []
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for failures, censored in data:
            peer = Fit_Weibull_2P(
                failures=failures,
                right_censored=censored if censored.size else None,
                show_probability_plot=False,
                print_results=False,
            )
            fits.append(Fit(float(peer.alpha), float(peer.beta), float(peer.loglik)))
    return time.perf_counter() - start, fits


def agreement(data: list[Sample], ours: list[Fit], peer: list[Fit]) -> dict[str, float]:
    """Largest relative differences and who found the higher likelihood (tolerance 1e-6)."""
    d_alpha = [abs(a.alpha - b.alpha) / b.alpha for a, b in zip(ours, peer, strict=False)]
    d_beta = [abs(a.beta - b.beta) / b.beta for a, b in zip(ours, peer, strict=False)]
    ours_higher = peer_higher = 0
    for (failures, censored), a, b in zip(data, ours, peer, strict=False):
        # both log-likelihoods evaluated by the same formula
        la = _weibull_loglik(failures, censored, a.alpha, a.beta)
        lb = _weibull_loglik(failures, censored, b.alpha, b.beta)
        ours_higher += la > lb + 1e-6
        peer_higher += lb > la + 1e-6
    return {
        "median_alpha": float(np.median(d_alpha)),
        "max_alpha": float(np.max(d_alpha)),
        "median_beta": float(np.median(d_beta)),
        "max_beta": float(np.max(d_beta)),
        "ours_higher": ours_higher,
        "peer_higher": peer_higher,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="servicegate bench reliability_fits", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--fits", type=int, default=1000, help="data sets (default 1,000)")
    parser.add_argument(
        "--peer-fits", type=int, help="data sets for the reliability package (default: all)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="100 fits")
    args = parser.parse_args(argv)
    count = 100 if args.quick else args.fits
    data = samples(count, args.seed)
    peer_count = min(count, args.peer_fits or count)
    censored_share = sum(c.size for _, c in data) / sum(f.size + c.size for f, c in data)
    print(
        f"{count:,} Weibull fits with right censoring ({censored_share:.0%} of "
        f"{sum(f.size + c.size for f, c in data):,} units censored), seed {args.seed}"
    )
    ours_seconds, ours = run_ours(data)
    peer_seconds, peer = run_peer(data[:peer_count])
    ours_rate = count / ours_seconds
    peer_rate = peer_count / peer_seconds
    print(f"{'engine':<24} {'fits':>6} {'seconds':>9} {'fits/s':>10} {'ms/fit':>8}")
    print(
        f"{'servicegate':<24} {count:>6,} {ours_seconds:9.3f} {ours_rate:10,.0f} "
        f"{1e3 / ours_rate:8.3f}"
    )
    print(
        f"{'reliability 0.9.0':<24} {peer_count:>6,} {peer_seconds:9.3f} {peer_rate:10,.1f} "
        f"{1e3 / peer_rate:8.3f}"
    )
    print(f"ratio (fits per second, servicegate / reliability): {ours_rate / peer_rate:,.0f}x")
    a = agreement(data, ours, peer)
    print(
        f"agreement: alpha median {a['median_alpha']:.1e} max {a['max_alpha']:.1e}, "
        f"beta median {a['median_beta']:.1e} max {a['max_beta']:.1e} (relative); "
        f"higher likelihood: servicegate {a['ours_higher']:.0f}, "
        f"reliability {a['peer_higher']:.0f} of {peer_count}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
