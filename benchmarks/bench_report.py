"""Time the whole gatekeeper report (compute, assemble, render, write) on 300-firm surveys.

Usage (from the project root, kflow installed):

    python benchmarks/bench_report.py [--firms 300] [--repeats 7]

Two synthetic surveys of the same firms: a sparse one (``simulate_cluster(300, seed=1,
base_logit=-4.0)``, 1,652 knowledge ties, about what a roster survey yields) and a dense one
(``simulate_cluster(300, seed=1)``, 9,394 ties). Uses the report's defaults (1,000
role-stability resamples, 9,999 permutations, 2,000 bootstrap resamples). One run of each
first, not counted, loads the libraries; the counted runs alternate between the two surveys.
The result is recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time

import kflow


def _run(survey) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        kflow.report(survey, out, seed=0)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    surveys = {
        "sparse": kflow.datasets.simulate_cluster(args.firms, seed=1, base_logit=-4.0),
        "dense": kflow.datasets.simulate_cluster(args.firms, seed=1),
    }
    first = {name: _run(survey) for name, survey in surveys.items()}
    times: dict[str, list[float]] = {name: [] for name in surveys}
    for _ in range(args.repeats):
        for name, survey in surveys.items():
            times[name].append(_run(survey))
    print(f"python {platform.python_version()}, kflow {kflow.__version__}, {platform.machine()}")
    for name, survey in surveys.items():
        t = times[name]
        print(
            f"report, {name}: {args.firms} firms, {len(survey.ties)} ties, "
            f"{len(survey.external)} outside ties: median {statistics.median(t):.2f} s, "
            f"fastest {min(t):.2f} s, slowest {max(t):.2f} s over {len(t)} runs "
            f"(first run, with imports: {first[name]:.2f} s)"
        )


if __name__ == "__main__":
    main()
