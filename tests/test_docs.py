"""Documented columns match returned columns; every public name has a runnable example."""

from __future__ import annotations

import inspect
import re

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


# Functions whose numbers come from a published definition: each cites it (numbered References),
# shows the formula as a math block, points to related functions and has a runnable example.
CITED = [
    kflow.centrality,
    kflow.network_summary,
    kflow.network_summaries,
    kflow.external_openness,
    kflow.ei_index,
    kflow.cliques,
    kflow.k_core,
    kflow.core_periphery,
    kflow.classify_roles,
    kflow.knowledge_positions,
    kflow.brokerage,
    kflow.role_stability,
    kflow.compare_waves,
    kflow.absorptive_capacity,
    kflow.absorptive_capacity_index,
    kflow.compare_groups,
    kflow.correlate,
    kflow.regress,
    kflow.qap,
    kflow.relation_matrix,
    kflow.attribute_matrix,
    kflow.link_upgrading,
    *(getattr(kflow.upgrading, name) for name in kflow.upgrading.__all__
      if inspect.isfunction(getattr(kflow.upgrading, name))),
]


# Tables and figures that compute no formula of their own (they reshape, average or draw).
NO_FORMULA = {
    "network_summaries",
    "sector_summary",
    "governance_profile",
    "governance_long",
    "kaplinsky_readman_figure",
}


@pytest.mark.parametrize("function", CITED, ids=lambda f: f.__name__)
def test_cited_functions_have_references_formula_and_see_also(function):
    doc = inspect.getdoc(function) or ""
    assert "References\n----------" in doc and ".. [1]" in doc, function.__name__
    assert "See Also\n--------" in doc or function.__name__ == "network_summaries"
    if function.__name__ not in NO_FORMULA:
        assert ":math:" in doc or ".. math::" in doc, function.__name__
    assert ">>>" in doc, function.__name__
    cited = {int(n) for n in re.findall(r"\[(\d+)\]_", doc)}
    listed = {int(n) for n in re.findall(r"^\.\. \[(\d+)\]", doc, re.M)}
    assert cited == listed, (function.__name__, cited, listed)


def test_every_public_function_of_the_subpackages_has_an_example():
    for module in (kflow.upgrading, kflow.datasets):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                assert ">>>" in (inspect.getdoc(obj) or ""), f"{module.__name__}.{name}"
