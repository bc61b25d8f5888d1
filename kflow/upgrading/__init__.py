"""Meso-level upgrading: collective efficiency and chain governance of clusters, and trade-based
product upgrading of countries (Pietrobelli & Rabellotti, eds., 2006, chapters 1, 8 and 9)."""

from kflow.upgrading.collective import (
    EE_COMPONENTS,
    JA_COMPONENTS,
    SECTORS,
    collective_efficiency,
    compare_upgrading,
    sector_summary,
    upgrading_scores,
)
from kflow.upgrading.governance import MODES, governance_long, governance_profile
from kflow.upgrading.trade import (
    classify_product_upgrading,
    kaplinsky_readman_figure,
    trade_decomposition,
)

__all__ = [
    "EE_COMPONENTS",
    "JA_COMPONENTS",
    "MODES",
    "SECTORS",
    "classify_product_upgrading",
    "collective_efficiency",
    "compare_upgrading",
    "governance_long",
    "governance_profile",
    "kaplinsky_readman_figure",
    "sector_summary",
    "trade_decomposition",
    "upgrading_scores",
]
