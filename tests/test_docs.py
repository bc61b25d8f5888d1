"""Documented columns match returned columns; every public name has a runnable example."""

from __future__ import annotations

import inspect

import pytest

import kflow


@pytest.fixture(scope="module")
def survey():
    return kflow.datasets.load_dataset("example_cluster")


@pytest.mark.parametrize(
    ("function", "call"),
    [
        (kflow.centrality, lambda s: kflow.centrality(s)),
        (kflow.external_openness, lambda s: kflow.external_openness(s)),
        (kflow.knowledge_positions, lambda s: kflow.knowledge_positions(s)),
        (kflow.role_stability, lambda s: kflow.role_stability(s, n_resamples=5, seed=0)),
        (kflow.k_core, lambda s: kflow.k_core(s)),
        (kflow.cliques, lambda s: kflow.cliques(s)),
    ],
)
def test_documented_columns(survey, function, call):
    doc = inspect.getdoc(function)
    for column in call(survey).columns:
        assert f"``{column}``" in doc, (function.__name__, column)


def test_summary_fields_are_documented(survey):
    doc = inspect.getdoc(kflow.network_summary)
    for field in kflow.network_summary(survey).index:
        if field not in ("relation", "wave"):
            assert f"``{field}``" in doc, field


def test_every_public_function_has_an_example():
    for name in kflow.__all__:
        obj = getattr(kflow, name)
        if inspect.isfunction(obj):
            doc = inspect.getdoc(obj) or ""
            assert ">>>" in doc, name
            assert "Parameters" in doc or "Returns" in doc or name in ("write_survey",), name
