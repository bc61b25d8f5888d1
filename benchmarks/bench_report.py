"""Time the whole gatekeeper report (compute, assemble, render, write) on a 300-firm survey.

Usage (from the project root, kflow installed):

    python benchmarks/bench_report.py [--firms 300] [--repeats 3]

Uses the report's defaults (1,000 role-stability resamples, 9,999 permutations); the result is
recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time

import kflow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    survey = kflow.datasets.simulate_cluster(args.firms, seed=1, base_logit=-4.0)
    times = []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            kflow.report(survey, out, seed=0)
            times.append(time.perf_counter() - start)
    print(f"python {platform.python_version()}, kflow {kflow.__version__}, {platform.machine()}")
    print(
        f"report: {args.firms} firms, {len(survey.ties)} ties, {len(survey.external)} outside "
        f"ties: median {statistics.median(times):.2f} s over {args.repeats} runs"
    )


if __name__ == "__main__":
    main()
