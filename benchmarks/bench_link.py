"""Time ``kflow.link_upgrading`` on a synthetic 300-firm survey with 9,999 permutations.

Usage (from the project root, kflow installed):

    python benchmarks/bench_link.py [--firms 300] [--permutations 9999] [--repeats 3]

Every permutation test inside (Kruskal-Wallis, Mann-Whitney, correlations, QAP) is vectorized
with numpy; the result is recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import kflow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=300)
    parser.add_argument("--permutations", type=int, default=9999)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    survey = kflow.datasets.simulate_cluster(args.firms, seed=1, base_logit=-4.0)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        kflow.link_upgrading(survey, n_permutations=args.permutations, seed=0)
        times.append(time.perf_counter() - start)
    print(f"python {platform.python_version()}, kflow {kflow.__version__}, {platform.machine()}")
    print(
        f"link_upgrading: {args.firms} firms, {len(survey.ties)} ties, "
        f"{args.permutations} permutations: median {statistics.median(times):.2f} s "
        f"over {args.repeats} runs"
    )


if __name__ == "__main__":
    main()
