"""kflow: network analysis of knowledge flows between firms.

Load a cluster's roster survey into a validated :class:`Survey` and analyse who brings
knowledge into the cluster and passes it on. Inside kflow an edge u -> v always means
"knowledge flowed from u to v".
"""

from kflow import datasets, upgrading
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
from kflow.survey import Survey, ValidationReport

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
    "external_openness",
    "k_core",
    "knowledge_positions",
    "link_upgrading",
    "network_summaries",
    "network_summary",
    "qap",
    "read_survey",
    "regress",
    "relation_matrix",
    "report",
    "role_stability",
    "upgrading",
    "write_survey",
]
