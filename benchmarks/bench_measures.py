"""Time kflow's measures against plain networkx computations of the same quantities.

Usage (from the project root, kflow installed):

    python benchmarks/bench_measures.py [--sizes 1000 10000] [--big-ties 1000000] [--repeats 3]

For each size n it generates a directed graph with 10 ties per firm (uniform random targets,
seed 0), then times ``kflow.centrality`` (all columns) and ``kflow.network_summary`` against
networkx computing the same quantities (degrees, strengths, betweenness, harmonic closeness both
ways, PageRank, HITS; density, reciprocity, components). On ``--big-ties`` ties it times degrees,
strengths and PageRank alone. Prints a Markdown table of medians and ratios; the results are
recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import networkx as nx
import numpy as np
import pandas as pd

import kflow


def random_survey(n: int, ties_per_firm: int, seed: int = 0) -> kflow.Survey:
    rng = np.random.default_rng(seed)
    src = np.repeat(np.arange(n), ties_per_firm)
    dst = rng.integers(0, n - 1, size=len(src))
    dst = np.where(dst >= src, dst + 1, dst)  # no self-ties
    frame = pd.DataFrame({"source": src, "target": dst, "weight": rng.integers(1, 4, len(src))})
    frame = frame.drop_duplicates(["source", "target"])
    frame["source"] = "F" + frame["source"].astype(str)
    frame["target"] = "F" + frame["target"].astype(str)
    return kflow.read_survey(frame, orientation="flow")


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def networkx_centrality(G: nx.DiGraph) -> None:
    dict(G.out_degree())
    dict(G.in_degree())
    dict(G.out_degree(weight="weight"))
    dict(G.in_degree(weight="weight"))
    nx.betweenness_centrality(G, normalized=True)
    nx.harmonic_centrality(G)
    nx.harmonic_centrality(G.reverse(copy=False))
    nx.pagerank(G.reverse(copy=False), alpha=0.85)
    nx.hits(G)


def networkx_summary(G: nx.DiGraph) -> None:
    nx.density(G)
    nx.reciprocity(G)
    nx.number_weakly_connected_components(G)
    nx.number_strongly_connected_components(G)
    nx.number_of_isolates(G)
    nx.betweenness_centrality(G, normalized=False)


def networkx_light(G: nx.DiGraph) -> None:
    dict(G.out_degree())
    dict(G.in_degree())
    dict(G.out_degree(weight="weight"))
    dict(G.in_degree(weight="weight"))
    nx.pagerank(G.reverse(copy=False), alpha=0.85)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--big-ties", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    print(
        f"python {platform.python_version()}, kflow {kflow.__version__}, "
        f"networkx {nx.__version__}, {platform.machine()}"
    )
    print()
    print("| task | firms | ties | kflow (s) | networkx (s) | networkx / kflow |")
    print("|---|---|---|---|---|---|")
    for n in args.sizes:
        survey = random_survey(n, 10)
        G = survey.to_networkx()
        repeats = args.repeats if n <= 2000 else 1
        for task, ours, theirs in (
            (
                "centrality (all columns)",
                lambda s=survey: kflow.centrality(s),
                lambda G=G: networkx_centrality(G),
            ),
            (
                "network_summary",
                lambda s=survey: kflow.network_summary(s),
                lambda G=G: networkx_summary(G),
            ),
        ):
            t_k = median_time(ours, repeats)
            t_n = median_time(theirs, repeats)
            print(
                f"| {task} | {n:,} | {len(survey.ties):,} | {t_k:.3f} | {t_n:.3f} | "
                f"{t_n / t_k:.1f} |",
                flush=True,
            )

    m = args.big_ties
    n = m // 10
    start = time.perf_counter()
    survey = random_survey(n, 10)
    t_read = time.perf_counter() - start
    G = survey.to_networkx()
    light = ["out_degree", "in_degree", "out_strength", "in_strength", "source_prestige"]
    t_k = median_time(lambda: kflow.centrality(survey, measures=light), args.repeats)
    t_n = median_time(lambda: networkx_light(G), args.repeats)
    print(
        f"| degrees, strengths, PageRank | {n:,} | {len(survey.ties):,} | {t_k:.3f} | "
        f"{t_n:.3f} | {t_n / t_k:.1f} |"
    )
    print()
    print(
        f"Building the {len(survey.ties):,}-tie Survey from a DataFrame (read_survey with full "
        f"validation) took {t_read:.1f} s."
    )


if __name__ == "__main__":
    main()
