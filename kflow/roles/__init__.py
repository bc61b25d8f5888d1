"""Roles in the cluster's knowledge system: cognitive roles, knowledge positions, Gould-Fernandez
brokerage, role stability and wave-to-wave comparison."""

from kflow.roles.brokerage import BrokerageResult, brokerage
from kflow.roles.cognitive import RoleAssignment, RoleClassifier, classify_roles
from kflow.roles.positions import knowledge_positions
from kflow.roles.stability import role_stability
from kflow.roles.waves import WaveComparison, compare_waves

__all__ = [
    "BrokerageResult",
    "RoleAssignment",
    "RoleClassifier",
    "WaveComparison",
    "brokerage",
    "classify_roles",
    "compare_waves",
    "knowledge_positions",
    "role_stability",
]
