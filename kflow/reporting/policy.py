"""Policy pointers of the report: prompts for the analyst from the menu of Tables 10.1 and 10.2
of Pietrobelli & Rabellotti (2006), each fired by a stated rule on the network's numbers.

A pointer shows the rule that fired it, the numbers behind it and the table row it comes from.
The rules ask for evidence: the role-based ones need roles classified on outside data and at
least :data:`MIN_CLASSIFIED` firms; "fragmented" needs the largest connected group to hold less
than :data:`MIN_MAIN_COMPONENT` of the firms (one isolated firm does not fragment a network).
"""

from __future__ import annotations

import pandas as pd

from kflow import vocabulary as V
from kflow.survey import Survey

__all__ = ["MIN_CLASSIFIED", "MIN_MAIN_COMPONENT", "main_component_share", "policy_pointers"]

MIN_CLASSIFIED = 10
MIN_MAIN_COMPONENT = 0.8
FEW_GATEKEEPERS = 0.10
MANY_ISOLATED = 0.40
SPARSE = 0.05


def main_component_share(survey: Survey) -> float:
    """Share of the firms in the largest weakly connected group."""
    if survey.n_firms == 0:
        return float("nan")
    sizes = survey.to_igraph().connected_components(mode="weak").sizes()
    return max(sizes) / survey.n_firms


def _pointer(when: str, rule: str, source: str, prompt: str) -> dict[str, str]:
    return {"when": when, "rule": rule, "source": source, "prompt": prompt}


def policy_pointers(roles, summary: pd.Series, survey: Survey) -> list[dict[str, str]]:
    """Prompts for the analyst, not findings: each dict has ``when`` (the numbers), ``rule``
    (the rule that fired), ``source`` (the row of Table 10.1 or 10.2) and ``prompt``."""
    pointers = [] if roles is None else _role_pointers(roles)
    share = main_component_share(survey)
    density = float(summary["density"])
    if share < MIN_MAIN_COMPONENT or density < SPARSE:
        pointers.append(_pointer(
            f"the largest connected group holds {share:.0%} of the firms; density {density:.3f}",
            f"largest connected group under {MIN_MAIN_COMPONENT:.0%} of the firms, or density "
            f"under {SPARSE}",
            "Table 10.1, Promote linkages among firms: create and strengthen business "
            "associations",
            "Create and strengthen business associations at the cluster level as places where "
            "firms meet.",
        ))
    return pointers


def _role_pointers(roles) -> list[dict[str, str]]:
    """Pointers that rest on the cognitive roles (none when roles could not be classified)."""
    counts = roles.counts
    classified = int(counts.drop("unclassified", errors="ignore").sum())
    if classified < MIN_CLASSIFIED:
        return []
    gk, iso = int(counts.get(V.GATEKEEPER, 0)), int(counts.get(V.ISOLATED, 0))
    stars = int(counts.get(V.EXTERNAL_STAR, 0))
    pointers = []
    if gk / classified < FEW_GATEKEEPERS:
        pointers.append(_pointer(
            f"{gk} technological gatekeepers among {classified} classified firms",
            f"gatekeepers under {FEW_GATEKEEPERS:.0%} of at least {MIN_CLASSIFIED} classified "
            "firms",
            "Table 10.1, Promote linkages among firms: facilitate the external connections of "
            "the cluster",
            "Links to universities, research institutes and international networks through "
            "firms able to pass knowledge on.",
        ))
    if iso / classified > MANY_ISOLATED:
        pointers.append(_pointer(
            f"{iso} isolated firms among {classified} classified firms",
            f"isolated firms over {MANY_ISOLATED:.0%} of at least {MIN_CLASSIFIED} classified "
            "firms",
            "Table 10.1, Promote linkages among firms: create and enhance trust among firms; "
            "promote the establishment of collective projects",
            "Trust-building and collective projects that involve the firms now outside the "
            "exchange of knowledge.",
        ))
    if stars > gk and stars >= 3:
        pointers.append(_pointer(
            f"{stars} external stars and {gk} technological gatekeepers",
            "more external stars than gatekeepers, and at least 3 external stars: outside "
            "knowledge enters but is not passed on",
            "Table 10.2, complex products sector clusters: support network brokers "
            "(articuladores)",
            "Support brokers and projects that connect the well-connected outward firms with "
            "local firms.",
        ))
    return pointers
