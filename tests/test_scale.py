"""kflow.scale returns exactly the in-memory tables: DuckDB always, Spark (local mode) where
pyspark and Java are installed (CI installs them)."""

from __future__ import annotations

import gc
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

import kflow

pytest.importorskip("ibis")
pytest.importorskip("duckdb")

from kflow import scale
from kflow.datasets import data_path, list_datasets

SINGLE_LAYER = ["wine_cluster", "example_cluster", "knoke_information", "knoke_money",
                "krackhardt_advice", "lazega_advice", "lazega_friendship"]


def _files(name: str) -> tuple[str, pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None]:
    row = list_datasets().loc[name]
    files = [data_path() / f for f in row["files"].split(";")]
    edges = pd.read_csv(files[0], dtype=str)
    firms = pd.read_csv(files[1], dtype=str) if len(files) > 1 else None
    if firms is not None and row["firm_id"] != "firm_id":
        firms = firms.rename(columns={row["firm_id"]: "firm_id"})
    ext = pd.read_csv(files[2], dtype=str) if len(files) > 2 else None
    return row["orientation"], edges, firms, ext


@pytest.mark.parametrize("name", SINGLE_LAYER)
def test_duckdb_degrees_equal_the_in_memory_ones(name):
    orientation, edges, firms, _ = _files(name)
    survey = kflow.datasets.load_network(name)
    got = scale.centrality(edges, orientation=orientation, firms=firms)
    want = kflow.centrality(survey, measures=list(got.columns))
    if firms is None:  # the edges name the firms
        want = want.loc[got.index]
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


@pytest.mark.parametrize("name", ["wine_cluster", "example_cluster"])
def test_duckdb_openness_and_roles_equal_the_in_memory_ones(name):
    orientation, edges, firms, ext = _files(name)
    survey = kflow.datasets.load_network(name)
    got = scale.external_openness(edges, ext, orientation=orientation, firms=firms)
    pd.testing.assert_frame_equal(got, kflow.external_openness(survey)[got.columns],
                                  check_dtype=False)
    for rule in ("mean", "median", ("quantile", 0.75)):
        roles = scale.classify_roles(edges, ext, orientation=orientation, firms=firms,
                                     threshold=rule)
        pd.testing.assert_frame_equal(roles, kflow.classify_roles(survey, threshold=rule).table,
                                      check_dtype=False)


@pytest.mark.parametrize("name, column", [("wine_cluster", "exporter"),
                                          ("krackhardt_advice", "dept"),
                                          ("lazega_advice", "office")])
def test_duckdb_brokerage_counts_equal_the_in_memory_ones(name, column):
    orientation, edges, _, _ = _files(name)
    survey = kflow.datasets.load_network(name)
    if column not in survey.firms.columns:
        pytest.skip(f"{name} has no {column!r}")
    groups = pd.DataFrame({"firm_id": survey.firm_ids,
                           "group": survey.firms[column].astype(str).to_numpy()})
    got = scale.brokerage_counts(edges, groups, orientation=orientation)
    want = kflow.brokerage(survey, column, include_external=False, missing="zero").raw
    pd.testing.assert_frame_equal(got, want.loc[got.index], check_dtype=False)


def test_duckdb_reads_parquet_and_csv_files_with_a_memory_limit(tmp_path):
    orientation, edges, _, _ = _files("lazega_advice")
    edges.to_parquet(tmp_path / "edges.parquet")
    edges.to_csv(tmp_path / "edges.csv", index=False)
    from_frame = scale.centrality(edges, orientation=orientation)
    for path in ("edges.parquet", "edges.csv"):
        got = scale.centrality(str(tmp_path / path), orientation=orientation,
                               memory_limit="512MB")
        pd.testing.assert_frame_equal(got, from_frame)


def test_scale_errors_name_the_problem(tmp_path):
    edges = pd.DataFrame({"a": ["x"], "b": ["y"]})
    with pytest.raises(kflow.DataError, match="no pair of tie columns"):
        scale.centrality(edges, orientation="flow")
    signed = pd.DataFrame({"source": ["x", "y"], "target": ["y", "z"], "weight": [1, -2]})
    with pytest.raises(kflow.DataError, match="1 edges have a negative weight"):
        scale.centrality(signed, orientation="flow")
    with pytest.raises(kflow.DataError, match="SparkSession"):
        scale.centrality(signed, orientation="flow", engine="spark")
    with pytest.raises(kflow.ParameterError):
        scale.centrality(signed, orientation="flow", memory_limit="lots")
    with pytest.raises(kflow.ParameterError):
        scale.centrality(signed, orientation="sideways")
    groups = pd.DataFrame({"firm_id": ["x"], "group": ["g"]})
    ok = pd.DataFrame({"source": ["x"], "target": ["y"]})
    with pytest.raises(kflow.DataError, match="no group"):
        scale.brokerage_counts(ok, groups, orientation="flow")


def test_duplicates_and_zeros_follow_read_survey():
    edges = pd.DataFrame({"source": ["a", "a", "b", "c"], "target": ["b", "b", "c", "c"],
                          "weight": [1, 3, 0, 2]})
    got = scale.centrality(edges, orientation="flow")
    survey = kflow.read_survey(edges, orientation="flow", duplicates="max")
    # the same roster too: c is named only with a 0 (and a self-tie), and stays on it
    want = kflow.centrality(survey, measures=list(got.columns))
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert got.index.tolist() == ["a", "b", "c"]
    assert got.loc["a", "out_strength"] == 3.0
    assert np.isclose(got["in_strength"].sum(), 3.0)


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("kflow-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    yield session
    session.stop()
    with warnings.catch_warnings():  # py4j's sockets, closed by the collector
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.mark.slow
# PySpark's own pandas conversions predate pandas 3 and warn; the values are checked below.
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_spark_local_equals_the_in_memory_tables(spark):
    orientation, edges, firms, ext = _files("wine_cluster")
    survey = kflow.datasets.load_network("wine_cluster")
    got = scale.centrality(edges, orientation=orientation, firms=firms, engine="spark",
                           spark=spark)
    want = kflow.centrality(survey, measures=list(got.columns))
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    roles = scale.classify_roles(edges, ext, orientation=orientation, firms=firms,
                                 engine="spark", spark=spark)
    pd.testing.assert_frame_equal(roles, kflow.classify_roles(survey).table, check_dtype=False)
    groups = pd.DataFrame({"firm_id": survey.firm_ids,
                           "group": survey.firms["exporter"].astype(str).to_numpy()})
    counts = scale.brokerage_counts(edges, groups, orientation=orientation, engine="spark",
                                    spark=spark)
    raw = kflow.brokerage(survey, "exporter", include_external=False, missing="zero").raw
    pd.testing.assert_frame_equal(counts, raw.loc[counts.index], check_dtype=False)


def test_cli_engine_duckdb_matches_the_in_memory_command(tmp_path):
    from kflow.cli import main

    base = data_path() / "wine_cluster"
    files = [str(base / "ties.csv"), "--orientation", "asks", "--firms", str(base / "firms.csv"),
             "--external", str(base / "external.csv")]
    assert main(["roles", *files, "--engine", "duckdb", "-o", str(tmp_path / "a.csv")]) == 0
    assert main(["roles", *files, "-o", str(tmp_path / "b.csv")]) == 0
    a = pd.read_csv(tmp_path / "a.csv", index_col="firm_id")
    b = pd.read_csv(tmp_path / "b.csv", index_col="firm_id")
    pd.testing.assert_series_equal(a["role"], b["role"])
    assert main(["measures", "--dataset", "wine_cluster", "--engine", "duckdb"]) == 2


def test_external_table_with_only_firm_and_actor():
    edges = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    ext = pd.DataFrame({"firm_id": ["a", "a", "c"], "actor": ["U", "L", "U"]})
    got = scale.external_openness(edges, ext, orientation="flow")
    want = kflow.external_openness(kflow.read_survey(edges, orientation="flow", external=ext))
    pd.testing.assert_frame_equal(got, want[got.columns], check_dtype=False)
