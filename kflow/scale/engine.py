"""Where the out-of-core and distributed computations run, and the tables they start from.

An engine is ``"duckdb"`` (embedded, over Parquet or CSV files larger than memory), ``"spark"``
(a SparkSession passed as ``spark=``, through Ibis' PySpark backend) or any Ibis backend
connection. Inputs are a path or glob of Parquet or CSV files, a pandas DataFrame or an Ibis
table; the tie columns are found as by ``read_survey`` (``source``/``target``,
``respondent``/``alter``, ``ego``/``alter``, ``from``/``to``; ``weight`` or ``value``). Edges
are turned once into knowledge-flow ties (``src`` gives knowledge to ``dst``), with
self-ties and zero values left out and repeated pairs merged by their largest value, as
``read_survey(..., duplicates="max")`` does.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import DataError, bad_parameter

__all__ = ["Flow", "connect", "flow_edges", "require", "run", "table"]

ENGINES = ("duckdb", "spark")


def connect(engine: Any = "duckdb", *, spark: Any = None, memory_limit: str | None = None):
    """An Ibis connection for ``engine`` (see the module)."""
    import ibis

    if engine == "duckdb":
        con = ibis.duckdb.connect()
        # Results are put in firm order afterwards; without insertion order DuckDB can spill
        # every operator to disk and stay within the memory limit.
        con.raw_sql("SET preserve_insertion_order = false")
        if memory_limit is not None:
            con.raw_sql(f"SET memory_limit = '{_memory(memory_limit)}'")
            # beyond the limit DuckDB spills to disk, in the system's temporary folder
            spill = Path(tempfile.gettempdir()) / "kflow-duckdb"
            con.raw_sql(f"SET temp_directory = '{spill.as_posix()}'")
        return con
    if engine == "spark":
        if spark is None:
            raise DataError(
                "engine='spark' needs the SparkSession to run on: pass spark=SparkSession "
                "(pyspark.sql.SparkSession.builder.getOrCreate()), or an Ibis connection as "
                "engine=."
            )
        return ibis.pyspark.connect(spark)
    if isinstance(engine, str):
        raise bad_parameter("kflow.scale", "engine", "'duckdb', 'spark' or an Ibis connection",
                            engine)
    return engine


def _memory(text: str) -> str:
    """A DuckDB memory limit such as ``4GB`` or ``512MB`` (checked, as it enters SQL)."""
    import re

    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", str(text)):
        raise bad_parameter("kflow.scale", "memory_limit", "a size such as '4GB' or '512MB'",
                            text)
    return str(text).strip()


def table(con, obj: Any, what: str):
    """An Ibis table from a path or glob (Parquet, CSV), a DataFrame or an Ibis table."""
    import ibis

    if isinstance(obj, pd.DataFrame):
        import pyarrow as pa

        # Through Arrow: Ibis' own pandas schema inference warns under pandas 3.
        return ibis.memtable(pa.Table.from_pandas(obj, preserve_index=False))
    if isinstance(obj, (str, Path)):
        text = str(obj)
        lower = text.lower()
        if lower.endswith((".parquet", ".pq")) or lower.endswith("*.parquet"):
            return con.read_parquet(text)
        if lower.endswith((".csv", ".csv.gz", ".tsv")):
            return con.read_csv(text)
        raise DataError(f"{text}: kflow.scale reads Parquet (.parquet) or CSV (.csv) files; "
                        f"convert the {what} table to one of these.")
    if isinstance(obj, ibis.expr.types.Table):
        return obj
    raise DataError(f"kflow.scale: the {what} table must be a path, a pandas DataFrame or an "
                    f"Ibis table, not {type(obj).__name__}.")


def run(con, expr):
    """Execute an expression: a DataFrame for a table, a Python value for a scalar. The result
    goes through Arrow (Ibis' own pandas conversion warns under pandas 3)."""
    result = con.to_pyarrow(expr)
    return result.as_py() if hasattr(result, "as_py") else result.to_pandas()


def require(t, columns: tuple[str, ...], what: str) -> None:
    """Stop with the missing columns named (and those found)."""
    missing = [c for c in columns if c not in t.columns]
    if missing:
        raise DataError(
            f"kflow.scale: the {what} table has no column {missing[0]!r}; its columns are "
            f"{', '.join(map(repr, t.columns))}. Rename the column, or give the right table."
        )


def flow_edges(con, edges: Any, orientation: str) -> Flow:
    """Knowledge-flow ties ``src -> dst`` with ``w`` (see the module), as a :class:`Flow`."""
    import ibis

    if orientation not in V.ORIENTATIONS:
        raise bad_parameter("kflow.scale", "orientation", f"one of {V.ORIENTATIONS}",
                            orientation)
    t = table(con, edges, "edges")
    lowered = {c.lower(): c for c in t.columns}
    pair = next((p for p in V.PAIR_DEFAULTS if p[0] in lowered and p[1] in lowered), None)
    if pair is None:
        raise DataError(
            f"kflow.scale: the edges table has no pair of tie columns (looked for "
            f"{', '.join(f'{a!r}/{b!r}' for a, b in V.PAIR_DEFAULTS)}); its columns are "
            f"{', '.join(map(repr, t.columns))}. Rename them."
        )
    wcol = next((lowered[w] for w in V.WEIGHT_DEFAULTS if w in lowered), None)
    weight = t[wcol].cast("float64") if wcol is not None else ibis.literal(1.0, type="float64")
    first, second = t[lowered[pair[0]]].cast("string"), t[lowered[pair[1]]].cast("string")
    src, dst = (second, first) if orientation == "asks" else (first, second)
    flow = t.select(src=src, dst=dst, w=weight)
    flow = flow.filter((flow.src != flow.dst) & flow.src.notnull() & flow.dst.notnull())
    # The firms the answers name, zeros included (a firm named with 0 is on the roster, as in
    # read_survey); read from the rows, not from the merged pairs.
    named = flow.select(firm=flow.src).union(flow.select(firm=flow.dst)).distinct()
    flow = flow.filter(flow.w != 0)
    negative = run(con, flow.filter(flow.w < 0).count())
    if negative:
        raise DataError(f"kflow.scale: {negative} edges have a negative weight; tie values "
                        "cannot be negative (0 = no tie). Correct them, or filter them out.")
    # Firm ids become integer codes once: merging repeated pairs and every later aggregate
    # then hash integers, which DuckDB spills to disk within its memory limit (text keys of a
    # hundred million pairs do not fit).
    # numbered in id order, so that every query that recomputes the codes gets the same ones
    codes = named.mutate(code=ibis.row_number().over(order_by=named.firm))
    s_codes = codes.select(s_firm=codes.firm, s_code=codes.code)
    d_codes = codes.select(d_firm=codes.firm, d_code=codes.code)
    coded = flow.join(s_codes, flow.src == s_codes.s_firm).join(d_codes,
                                                                 flow.dst == d_codes.d_firm)
    coded = coded.select(src=coded.s_code, dst=coded.d_code, w=coded.w)
    pairs = coded.group_by(["src", "dst"]).aggregate(w=coded.w.max())
    return Flow(pairs=pairs, named=named, codes=codes)


class Flow:
    """Knowledge-flow ties of an edge table: ``pairs`` (integer ``src``, ``dst`` and the value
    ``w``), ``named`` (the firms the edges name, column ``firm``) and ``codes`` (``firm`` and
    its integer ``code``)."""

    def __init__(self, pairs, named, codes) -> None:
        self.pairs, self.named, self.codes = pairs, named, codes
        self._names: pd.Series | None = None

    def decode(self, con, codes: pd.Series) -> pd.Series:
        """Firm ids of integer codes (the code table is fetched once)."""
        if self._names is None:
            table = run(con, self.codes)
            self._names = pd.Series(table["firm"].astype(str).to_numpy(),
                                    index=table["code"].to_numpy())
        return pd.Series(self._names.reindex(codes.to_numpy()).to_numpy(), index=codes.index)
