"""kflow: network analysis of knowledge flows between firms.

Load a cluster's roster survey into a validated :class:`Survey` and analyse who brings
knowledge into the cluster and passes it on. Inside kflow an edge u -> v always means
"knowledge flowed from u to v".
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kflow._version import __version__
from kflow.exceptions import (
    ConvergenceWarning,
    DataError,
    KflowError,
    NotFittedError,
    ParameterError,
    SurveyError,
)
from kflow.io import read_survey, write_survey
from kflow.survey import Survey, ValidationReport

# The analyses load on first use, so that ``import kflow`` (and the command line's --help,
# --version and validate) stays fast: igraph, scipy.stats, statsmodels and matplotlib are
# imported only by the modules that compute or draw with them.
_LAZY = {
    **dict.fromkeys(
        [
            "EIResult",
            "centrality",
            "cliques",
            "core_periphery",
            "ei_index",
            "external_openness",
            "k_core",
            "network_summaries",
            "network_summary",
        ],
        "kflow.measures",
    ),
    **dict.fromkeys(
        [
            "CapacityIndex",
            "GroupComparison",
            "QAPResult",
            "RegressionResult",
            "UpgradingLink",
            "absorptive_capacity",
            "absorptive_capacity_index",
            "attribute_matrix",
            "compare_groups",
            "correlate",
            "link_upgrading",
            "qap",
            "regress",
            "relation_matrix",
        ],
        "kflow.outcomes",
    ),
    **dict.fromkeys(
        [
            "BrokerageResult",
            "RoleAssignment",
            "RoleClassifier",
            "WaveComparison",
            "brokerage",
            "classify_roles",
            "compare_waves",
            "knowledge_positions",
            "role_stability",
        ],
        "kflow.roles",
    ),
    "report": "kflow.reporting",
    "export": "kflow.interop",
    "questionnaire": "kflow.interop",
}
_SUBPACKAGES = (
    "datasets", "upgrading", "reporting", "measures", "roles", "outcomes", "graph", "interop",
    "scale",
)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _SUBPACKAGES:
        value = importlib.import_module(f"kflow.{name}")
    else:
        raise AttributeError(f"module 'kflow' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    from kflow import datasets, interop, reporting, upgrading
    from kflow.interop import export, questionnaire
    from kflow.measures import (
        EIResult,
        centrality,
        cliques,
        core_periphery,
        ei_index,
        external_openness,
        k_core,
        network_summaries,
        network_summary,
    )
    from kflow.outcomes import (
        CapacityIndex,
        GroupComparison,
        QAPResult,
        RegressionResult,
        UpgradingLink,
        absorptive_capacity,
        absorptive_capacity_index,
        attribute_matrix,
        compare_groups,
        correlate,
        link_upgrading,
        qap,
        regress,
        relation_matrix,
    )
    from kflow.reporting import report
    from kflow.roles import (
        BrokerageResult,
        RoleAssignment,
        RoleClassifier,
        WaveComparison,
        brokerage,
        classify_roles,
        compare_waves,
        knowledge_positions,
        role_stability,
    )

__all__ = [
    "BrokerageResult",
    "CapacityIndex",
    "ConvergenceWarning",
    "DataError",
    "EIResult",
    "GroupComparison",
    "KflowError",
    "NotFittedError",
    "ParameterError",
    "QAPResult",
    "RegressionResult",
    "RoleAssignment",
    "RoleClassifier",
    "Survey",
    "SurveyError",
    "UpgradingLink",
    "ValidationReport",
    "WaveComparison",
    "__version__",
    "absorptive_capacity",
    "absorptive_capacity_index",
    "attribute_matrix",
    "brokerage",
    "centrality",
    "classify_roles",
    "cliques",
    "compare_groups",
    "compare_waves",
    "core_periphery",
    "correlate",
    "datasets",
    "ei_index",
    "export",
    "external_openness",
    "interop",
    "k_core",
    "knowledge_positions",
    "link_upgrading",
    "network_summaries",
    "network_summary",
    "qap",
    "questionnaire",
    "read_survey",
    "regress",
    "relation_matrix",
    "report",
    "reporting",
    "role_stability",
    "upgrading",
    "write_survey",
]
