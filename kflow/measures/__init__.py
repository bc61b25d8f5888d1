"""Network measures: centrality, network summary and centralization, external openness and the
E-I index, cohesion (cliques, k-cores, core-periphery)."""

from kflow.measures.centrality import CENTRALITY_COLUMNS, centrality
from kflow.measures.cohesion import cliques, core_periphery, k_core
from kflow.measures.openness import EIResult, ei_index, external_openness
from kflow.measures.summary import (
    SUMMARY_FIELDS,
    freeman_centralization,
    network_summaries,
    network_summary,
)

__all__ = [
    "CENTRALITY_COLUMNS",
    "SUMMARY_FIELDS",
    "EIResult",
    "centrality",
    "cliques",
    "core_periphery",
    "ei_index",
    "external_openness",
    "freeman_centralization",
    "k_core",
    "network_summaries",
    "network_summary",
]
