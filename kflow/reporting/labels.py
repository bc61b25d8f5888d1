"""Human labels for every column, statistic and value the report shows, in one place.

The CSV and JSON tables keep kflow's snake_case names (stable, for machines); the HTML and
Markdown renderings show these labels. A test checks that every column header of the HTML comes
from :data:`COLUMNS`.
"""

from __future__ import annotations

from kflow import vocabulary as V

__all__ = ["COLUMNS", "ROLE_LABELS", "STATISTICS", "VALUES", "column_label", "value_label"]

ROLE_LABELS = {
    V.GATEKEEPER: "technological gatekeeper",
    V.EXTERNAL_STAR: "external star",
    V.MUTUAL_EXCHANGER: "active mutual exchanger",
    V.ISOLATED: "isolated firm",
}

#: Column (and index) names -> header text.
COLUMNS = {
    "firm": "Firm",
    "firm_id": "Firm",
    "table": "Table",
    "file": "File",
    "layout": "Layout",
    "records_read": "Records read",
    "records_used": "Used",
    "records_dropped": "Dropped",
    "reason": "Reason",
    "records": "Records",
    "statistic": "Statistic",
    "value": "Value",
    "role": "Role",
    "firms": "Firms",
    "local_score": "Local score",
    "external_score": "Outside score",
    "local_high": "High local",
    "external_high": "High outside",
    "out_degree": "Gives to (out-degree)",
    "in_degree": "Receives from (in-degree)",
    "position": "Position",
    "external_strength": "Outside strength",
    "coordinator": "Coordinator",
    "coordinator_z": "Coordinator z",
    "itinerant": "Itinerant",
    "itinerant_z": "Itinerant z",
    "representative": "Representative",
    "representative_z": "Representative z",
    "gatekeeper": "Gatekeeper",
    "gatekeeper_z": "Gatekeeper z",
    "liaison": "Liaison",
    "liaison_z": "Liaison z",
    "total": "Total",
    "total_z": "Total z",
    "raw": "Observed",
    "expected": "Expected",
    "sd": "SD",
    "z": "z",
    "outside": "Outside actor",
    "local": "Local firm",
    "stability_respondents": "Stability (respondents)",
    "stability_ties": "Stability (ties)",
    "stability_thresholds": "Stability (thresholds)",
    "most_likely_alternative": "Most likely other role",
    "role_before": "Role before",
    "role_after": "Role after",
    "before": "Before",
    "after": "After",
    "status": "Status",
    "outcome": "Outcome",
    "test": "Test",
    "effect_size": "Effect size",
    "effect_measure": "Effect measure",
    "effect_ci_low": "95% CI low",
    "effect_ci_high": "95% CI high",
    "p_asymptotic": "p (asymptotic)",
    "p_permutation": "p (permutation)",
    "p_exact_or_permutation": "p (exact/permutation)",
    "p_method": "p method",
    "p_holm": "p (Holm)",
    "p_adjusted": "p (adjusted)",
    "p_greater": "p (greater)",
    "p_less": "p (less)",
    "p_two_sided": "p (two-sided)",
    "n": "n",
    "n_groups": "Groups",
    "n_1": "n 1",
    "n_2": "n 2",
    "group_1": "Group 1",
    "group_2": "Group 2",
    "x": "Measure",
    "y": "Outcome",
    "method": "Method",
    "r": "r",
    "adjust": "Adjustment",
    "n_permutations": "Permutations",
    "seed": "Seed",
    "estimate": "Estimate",
    "t": "t",
    "r_squared": "R²",
    "predictor": "Predictor",
}

#: Rows of the network summary and of the tie-persistence table.
STATISTICS = {
    "n_firms": "Firms",
    "n_ties": "Knowledge ties",
    "density": "Density",
    "mean_out_degree": "Mean out-degree",
    "reciprocity": "Reciprocity",
    "n_reciprocated_ties": "Reciprocated ties",
    "transitivity": "Transitivity",
    "n_transitive_triplets": "Transitive triplets",
    "n_three_cycles": "Three-cycles",
    "in_centralization": "In-degree centralization",
    "out_centralization": "Out-degree centralization",
    "betweenness_centralization": "Betweenness centralization",
    "n_weak_components": "Weak components",
    "n_strong_components": "Strong components",
    "n_isolates": "Isolates",
    "n_respondents": "Respondents",
    "response_rate": "Response rate",
    "missing": "Missing answers treated as",
    "persisted": "Persisted",
    "dissolved": "Dissolved",
    "created": "Created",
    "jaccard": "Jaccard index",
    "before": "Ties before",
    "after": "Ties after",
}

#: Cell values shown in words.
VALUES = {
    **ROLE_LABELS,
    "same_role": "same role",
    "changed_role": "changed role",
    "unclassified": "unclassified",
    "entered": "entered",
    "left": "left",
    "mutual_exchanger": "mutual exchanger",
    "kruskal_wallis": "Kruskal-Wallis",
    "chi2_permutation": "chi-square (permutation)",
    "epsilon_squared": "ε²",
    "cramers_v": "Cramér's V",
    "rank_biserial": "rank-biserial r",
    "share_difference": "difference in shares",
    "edge list": "edge list",
    "attribute table": "attribute table",
    "external ties": "outside ties",
    **STATISTICS,
}


def column_label(name: object) -> str:
    """The header of a column; names outside the map (data columns such as outcome names the user
    chose) are shown with spaces for underscores."""
    text = str(name)
    return COLUMNS.get(text, text.replace("_", " "))


def value_label(value: str) -> str:
    return VALUES.get(value, value)
