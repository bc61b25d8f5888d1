"""National-scale benchmarks: ingestion, degrees and roles, brokerage, sampled paths, DuckDB.

Usage (from the project root, kflow installed with the scale extra):

    python benchmarks/bench_scale.py [--edges 100000 1000000] [--repeats 3]
        [--brokerage 5000:50000 100000:1000000] [--duckdb-edges 100000000]
        [--steps pandas.read_csv read_survey]

Graphs are directed and scale-free (preferential attachment, 10 ties per firm, seeded), written
once to CSV and Parquet in a temporary folder. Every measured step runs in a fresh Python
process, so peak memory (VmHWM) is the step's own (for the two readers also as bytes per
row above the process that has loaded them); the steps of one size are interleaved
round by round, and the medians are printed as a Markdown table for docs/benchmarks.md.

Steps:
- ``pandas.read_csv``: the floor any CSV reader pays;
- ``read_survey``: kflow's validated ingestion of the same CSV (orientation "flow");
- ``pipeline kflow``: read_survey + degrees + external openness + roles;
- ``pipeline igraph/numpy``: a hand-written equivalent (pyarrow read, factorize, bincount);
- ``pipeline duckdb``: kflow.scale.classify_roles straight from the Parquet file;
- ``networkx``: degrees and roles from a networkx DiGraph (up to 1e6 edges);
- ``brokerage`` at N firms / M ties: kflow.brokerage's sparse counts (five roles, null model,
  z-scores) against a sparse numpy reference (scipy products, the total count only), the
  counting alone;
- ``betweenness k=``: sampled betweenness, kflow (``centrality(k=)``, with its layer set-up)
  against igraph called directly with the same sources, the computation alone.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def scale_free_edges(m: int, per_firm: int = 10, seed: int = 0) -> np.ndarray:
    """Preferential attachment: firm t names ``per_firm`` earlier firms drawn in proportion to
    their degree (plus one); directions are flipped at random so both tails are heavy."""
    rng = np.random.default_rng(seed)
    n = max(m // per_firm, per_firm + 1)
    targets = np.empty(n * per_firm, dtype=np.int64)
    sources = np.repeat(np.arange(n, dtype=np.int64), per_firm)
    # endpoints so far, sampled uniformly = by degree; seeded with the first firms
    ends = np.empty(2 * n * per_firm + n, dtype=np.int64)
    filled = 0
    for t in range(n):
        k = min(per_firm, t) if t else 0
        if k:
            pick = ends[rng.integers(0, filled, size=k)] if filled else rng.integers(0, t, k)
            targets[t * per_firm: t * per_firm + k] = pick
        targets[t * per_firm + k: (t + 1) * per_firm] = -1
        ends[filled] = t
        filled += 1
        if k:
            ends[filled: filled + k] = targets[t * per_firm: t * per_firm + k]
            filled += k
    keep = (targets >= 0) & (targets != sources)
    e = np.column_stack([sources[keep], targets[keep]])[:m]
    flip = rng.random(len(e)) < 0.5
    e[flip] = e[flip][:, ::-1]
    return e


def write_inputs(m: int, folder: Path) -> dict[str, str]:
    import pandas as pd

    e = scale_free_edges(m)
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"source": "F" + pd.Series(e[:, 0]).astype(str),
                          "target": "F" + pd.Series(e[:, 1]).astype(str),
                          "weight": rng.integers(1, 4, len(e))})
    frame = frame.drop_duplicates(["source", "target"])
    firms = pd.Index(pd.concat([frame["source"], frame["target"]]).unique())
    n_ext = max(len(firms) // 5, 1)
    ext = pd.DataFrame({"firm_id": firms[rng.integers(0, len(firms), n_ext)],
                        "actor": "A" + pd.Series(rng.integers(0, 1000, n_ext)).astype(str)})
    ext = ext.drop_duplicates()
    paths = {"csv": str(folder / f"edges_{m}.csv"), "parquet": str(folder / f"edges_{m}.parquet"),
             "ext": str(folder / f"external_{m}.csv"), "rows": len(frame)}
    frame.to_csv(paths["csv"], index=False)
    frame.to_parquet(paths["parquet"], index=False)
    ext.to_csv(paths["ext"], index=False)
    return paths


def step(name: str, paths: dict) -> float:
    """Run one step in this process; returns its seconds."""
    import pandas as pd

    import kflow

    start = time.perf_counter()
    if name == "pandas.read_csv":
        pd.read_csv(paths["csv"])
    elif name == "read_survey":
        kflow.read_survey(paths["csv"], orientation="flow")
    elif name == "pipeline kflow":
        s = kflow.read_survey(paths["csv"], orientation="flow", external=paths["ext"])
        kflow.centrality(s, measures=["out_degree", "in_degree"])
        kflow.external_openness(s)
        kflow.classify_roles(s)
    elif name == "pipeline igraph/numpy":
        _hand_pipeline(paths)
    elif name == "pipeline duckdb":
        from kflow import scale

        scale.classify_roles(paths["parquet"], paths["ext"], orientation="flow",
                             memory_limit=paths.get("memory_limit"))
    elif name == "networkx":
        _networkx_pipeline(paths)
    elif name.startswith("brokerage"):
        return _brokerage(name, paths)
    elif name.startswith("betweenness"):
        return _betweenness(name, paths)
    return time.perf_counter() - start


def _hand_pipeline(paths: dict) -> None:
    import pandas as pd
    import pyarrow.csv as pv

    t = pv.read_csv(paths["csv"]).to_pandas()
    t = t[(t["source"] != t["target"]) & (t["weight"] != 0)]
    codes, ids = pd.factorize(pd.concat([t["source"], t["target"]]), sort=False)
    m = len(t)
    src, dst = codes[:m], codes[m:]
    n = len(ids)
    deg = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    ext = pd.read_csv(paths["ext"])
    e = ext.groupby("firm_id")["actor"].nunique().reindex(ids, fill_value=0).to_numpy()
    local = deg / (2 * (n - 1))
    high_l, high_e = local > local.mean(), e > e.mean()
    np.select([high_l & high_e, ~high_l & high_e, high_l & ~high_e], [0, 1, 2], 3)


def _networkx_pipeline(paths: dict) -> None:
    import networkx as nx
    import pandas as pd

    t = pd.read_csv(paths["csv"])
    g = nx.from_pandas_edgelist(t, "source", "target", ["weight"], create_using=nx.DiGraph)
    n = g.number_of_nodes()
    local = {v: (g.in_degree(v) + g.out_degree(v)) / (2 * (n - 1)) for v in g}
    ext = pd.read_csv(paths["ext"]).groupby("firm_id")["actor"].nunique()
    e = {v: ext.get(v, 0) for v in g}
    ml, me = np.mean(list(local.values())), np.mean(list(e.values()))
    {v: (local[v] > ml, e[v] > me) for v in g}


def _brokerage(name: str, paths: dict) -> float:
    """Seconds of the counting alone (the graph is built first, untimed)."""
    import pandas as pd

    import kflow

    n, m = (int(x) for x in name.split()[-1].split(":"))
    e = scale_free_edges(m, per_firm=max(m // n, 1), seed=2)
    if "reference" in name:
        _reference_counts(np.array([[0, 1], [1, 2]]))  # scipy loaded before the clock starts
        start = time.perf_counter()
        try:
            _reference_counts(e)
        except MemoryError:  # the unblocked product A^T A of a heavy-tailed graph
            return float("nan")
        return time.perf_counter() - start
    ties = pd.DataFrame({"source": e[:, 0], "target": e[:, 1]}).drop_duplicates()
    s = kflow.read_survey(ties, orientation="flow")
    groups = {f: int(f) % 5 for f in s.firm_ids}
    _warm_up()
    start = time.perf_counter()
    kflow.brokerage(s, groups, include_external=False)
    return time.perf_counter() - start


def _warm_up_reading() -> None:
    """Read a three-line file with both readers, so that the measured step starts from a
    process that has loaded them (its peak memory above that start is the step's own)."""
    import pandas as pd

    import kflow

    with tempfile.TemporaryDirectory() as folder:
        tiny = Path(folder) / "tiny.csv"
        tiny.write_text("source,target,weight\na,b,1\nb,c,2\n", encoding="utf-8")
        pd.read_csv(tiny)
        kflow.read_survey(tiny, orientation="flow")


def _warm_up() -> None:
    """One tiny call first, so that the timed call pays no first-use imports."""
    import pandas as pd

    import kflow

    tiny = kflow.read_survey(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}),
                             orientation="flow")
    kflow.brokerage(tiny, {"a": 1, "b": 2, "c": 1}, include_external=False)
    kflow.centrality(tiny, measures=["betweenness_raw"], k=2, seed=0)


def _reference_counts(e: np.ndarray) -> np.ndarray:
    """Open two-paths per broker, total only: in * out - reciprocal - closed (scipy)."""
    from scipy import sparse

    A = sparse.csr_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(e.max() + 1,) * 2)
    A.data[:] = 1
    A.setdiag(0)
    A.eliminate_zeros()
    din, dout = np.asarray(A.sum(0)).ravel(), np.asarray(A.sum(1)).ravel()
    recip = np.asarray(A.multiply(A.T).sum(1)).ravel()
    closed = np.asarray((A.T @ A).multiply(A).sum(1)).ravel()
    return din * dout - recip - closed


def _betweenness(name: str, paths: dict) -> float:
    """Seconds of the sampled betweenness alone, with the same sources."""
    import igraph as ig
    import pandas as pd

    import kflow

    k = int(name.split("=")[1])
    e = scale_free_edges(100_000, seed=3)
    ties = pd.DataFrame({"source": e[:, 0], "target": e[:, 1]}).drop_duplicates()
    if "igraph" in name:
        g = ig.Graph(n=int(e.max()) + 1, edges=ties.to_numpy().tolist(), directed=True)
        pivots = np.sort(np.random.default_rng(0).choice(g.vcount(), size=k, replace=False))
        start = time.perf_counter()
        g.betweenness(sources=pivots.tolist())
        return time.perf_counter() - start
    s = kflow.read_survey(ties, orientation="flow")
    _warm_up()
    start = time.perf_counter()
    kflow.centrality(s, measures=["betweenness_raw"], k=k, seed=0)
    return time.perf_counter() - start


def _peak_kib() -> int:
    """The process's peak resident memory so far, in KiB: Linux's VmHWM, which starts anew at
    exec (ru_maxrss keeps the parent's peak from before the fork when that was higher, and the
    parent holds the generated graph)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(args: argparse.Namespace) -> None:
    paths = json.loads(args.child_paths)
    if args.child in ("pandas.read_csv", "read_survey"):
        _warm_up_reading()  # the baseline of these steps: the process with its readers loaded
    base = _peak_kib()
    seconds = step(args.child, paths)
    peak = _peak_kib()
    print(json.dumps({"seconds": seconds, "peak_kib": peak, "base_kib": base}))


def measure(name: str, paths: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", name, "--child-paths",
                          json.dumps(paths)], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"step {name!r} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--networkx-max", type=int, default=1_000_000)
    parser.add_argument("--brokerage", nargs="*", default=["5000:50000", "100000:1000000"])
    parser.add_argument("--betweenness-k", type=int, nargs="*", default=[100])
    parser.add_argument("--duckdb-edges", type=int, default=0)
    parser.add_argument("--steps", nargs="*", default=None,
                        help="only these steps of each size (e.g. pandas.read_csv read_survey)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-paths", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    import kflow

    print(f"python {platform.python_version()}, kflow {kflow.__version__}, "
          f"{platform.machine()}, {time.strftime('%Y-%m-%d')}")
    print("| step | size | median s | peak RSS MiB | bytes/row above start | ratio |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for m in args.edges:
            paths = write_inputs(m, Path(folder))
            steps = ["pandas.read_csv", "read_survey", "pipeline igraph/numpy",
                     "pipeline kflow", "pipeline duckdb"]
            if m <= args.networkx_max:
                steps.append("networkx")
            if args.steps is not None:
                steps = [s for s in steps if s in args.steps]
            _rounds(steps, paths, f"{paths['rows']:,} edges", args.repeats,
                    {"read_survey": "pandas.read_csv", "pipeline kflow": "pipeline igraph/numpy",
                     "pipeline duckdb": "pipeline igraph/numpy",
                     "networkx": "pipeline kflow"})
        for size in args.brokerage:
            repeats = args.repeats if int(size.split(":")[1]) <= 100_000 else 1
            _rounds([f"brokerage reference {size}", f"brokerage kflow {size}"], {},
                    size.replace(":", " firms / ") + " ties", repeats,
                    {f"brokerage kflow {size}": f"brokerage reference {size}"})
        for k in args.betweenness_k:
            _rounds([f"betweenness igraph k={k}", f"betweenness kflow k={k}"], {},
                    "~10,000 firms / 100,000 ties", args.repeats,
                    {f"betweenness kflow k={k}": f"betweenness igraph k={k}"})
        if args.duckdb_edges:
            paths = _big_parquet(args.duckdb_edges, Path(folder))
            _rounds(["pipeline duckdb"], paths, f"{args.duckdb_edges:,} edges (Parquet)", 1, {})


def _rounds(steps: list[str], paths: dict, size: str, repeats: int, ratios: dict) -> None:
    results: dict[str, list[dict]] = {s: [] for s in steps}
    for _ in range(repeats):
        for s in steps:
            results[s].append(measure(s, paths))
    medians = {s: statistics.median(r["seconds"] for r in rs) for s, rs in results.items()}
    for s in steps:
        peak = max(r["peak_kib"] for r in results[s]) / 1024
        ratio = (f"{medians[s] / medians[ratios[s]]:.2f}x {ratios[s]}"
                 if ratios.get(s) in medians else "")
        shown = "out of memory" if medians[s] != medians[s] else f"{medians[s]:.3f}"
        per_row = ""
        if s in ("pandas.read_csv", "read_survey") and paths.get("rows"):
            above = max(r["peak_kib"] - r["base_kib"] for r in results[s]) * 1024
            per_row = f"{above / paths['rows']:.0f}"
        print(f"| {s} | {size} | {shown} | {peak:,.0f} | {per_row} | {ratio} |", flush=True)


def _big_parquet(m: int, folder: Path) -> dict:
    """A Parquet file of m random edges written in chunks (ids as text), and its external."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(5)
    n = max(m // 100, 10)  # a national network: about 100 links per firm (Belgium-like)
    path = folder / "big.parquet"
    writer = None
    for start in range(0, m, 10_000_000):
        k = min(10_000_000, m - start)
        chunk = pa.table({"source": pa.array(np.char.add("F", rng.integers(0, n, k).astype(str))),
                          "target": pa.array(np.char.add("F", rng.integers(0, n, k).astype(str)))})
        writer = writer or pq.ParquetWriter(path, chunk.schema)
        writer.write_table(chunk)
    writer.close()
    ext = pd.DataFrame({"firm_id": "F" + pd.Series(rng.integers(0, n, n // 5)).astype(str),
                        "actor": "A" + pd.Series(rng.integers(0, 1000, n // 5)).astype(str)})
    ext.drop_duplicates().to_csv(folder / "big_external.csv", index=False)
    return {"parquet": str(path), "ext": str(folder / "big_external.csv"), "memory_limit": "700MB"}


if __name__ == "__main__":
    main()
