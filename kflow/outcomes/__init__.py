"""Linking network positions to upgrading: absorptive capacity, group comparisons,
correlations, regressions and QAP."""

from kflow.outcomes._stats import adjust_p
from kflow.outcomes.capacity import CapacityIndex, absorptive_capacity, absorptive_capacity_index
from kflow.outcomes.correlation import correlate
from kflow.outcomes.groups import GroupComparison, compare_groups
from kflow.outcomes.link import UpgradingLink, link_upgrading
from kflow.outcomes.qap import QAPResult, attribute_matrix, qap, relation_matrix
from kflow.outcomes.regression import RegressionResult, regress

__all__ = [
    "CapacityIndex",
    "GroupComparison",
    "QAPResult",
    "RegressionResult",
    "UpgradingLink",
    "absorptive_capacity",
    "absorptive_capacity_index",
    "adjust_p",
    "attribute_matrix",
    "compare_groups",
    "correlate",
    "link_upgrading",
    "qap",
    "regress",
    "relation_matrix",
]
