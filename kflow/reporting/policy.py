"""Policy pointers of the report: prompts for the analyst from the menu of Tables 10.1 and 10.2
of Pietrobelli & Rabellotti (2006), triggered by simple, stated features of the network."""

from __future__ import annotations

import pandas as pd

from kflow import vocabulary as V
from kflow.survey import Survey

__all__ = ["policy_pointers"]


def policy_pointers(roles, summary: pd.Series, survey: Survey) -> list[dict[str, str]]:
    """Prompts for the analyst from the menu of Tables 10.1 and 10.2 of Pietrobelli &
    Rabellotti (2006), triggered by simple, stated features of the network. Not findings."""
    pointers = [] if roles is None else _role_pointers(roles)
    if summary["n_weak_components"] > 1 or summary["density"] < 0.05:
        pointers.append(
            {
                "when": f"a sparse or fragmented network (density {summary['density']:.3f}, "
                f"{summary['n_weak_components']} components)",
                "prompt": "Create and strengthen business associations at the cluster level "
                "(Table 10.1) as places where firms meet.",
            }
        )
    if survey.response_rate < 0.7:
        pointers.append(
            {
                "when": f"a response rate of {survey.response_rate:.0%}",
                "prompt": "Before acting on these pointers, check how missing answers change the "
                "roles (the role stability section).",
            }
        )
    if not pointers:
        pointers.append(
            {
                "when": "none of the stated triggers applies",
                "prompt": "Read the sections above against the full menu of Table 10.1 (external "
                "economies, linkages among firms, position in value chains).",
            }
        )
    return pointers


def _role_pointers(roles) -> list[dict[str, str]]:
    """Pointers that rest on the cognitive roles (none when roles could not be classified)."""
    counts = roles.counts
    classified = max(int(counts.drop("unclassified", errors="ignore").sum()), 1)
    share = (counts / classified).to_dict()
    pointers: list[dict[str, str]] = []
    if share.get(V.GATEKEEPER, 0) < 0.10:
        pointers.append(
            {
                "when": f"few technological gatekeepers ({counts[V.GATEKEEPER]} of {classified} "
                "classified firms)",
                "prompt": "Facilitate the external connections of the cluster (Table 10.1, promote "
                "linkages among firms): links to universities, research institutes and "
                "international networks through firms able to pass knowledge on.",
            }
        )
    if share.get(V.ISOLATED, 0) > 0.40:
        pointers.append(
            {
                "when": f"many isolated firms ({counts[V.ISOLATED]} of {classified})",
                "prompt": "Promote linkages among firms (Table 10.1): create and enhance trust "
                "among firms and promote collective projects; strengthen the local supply of "
                "business development services.",
            }
        )
    if counts.get(V.EXTERNAL_STAR, 0) > counts.get(V.GATEKEEPER, 0):
        pointers.append(
            {
                "when": f"more external stars ({counts[V.EXTERNAL_STAR]}) than gatekeepers "
                f"({counts[V.GATEKEEPER]}): outside knowledge enters but is not passed on",
                "prompt": "Support network brokers (articuladores, Table 10.2) and collective "
                "projects that connect well-connected outward firms with local firms.",
            }
        )
    return pointers
