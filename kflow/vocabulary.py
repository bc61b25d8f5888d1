"""The names kflow uses everywhere: table columns, orientations, policies, and id ordering.

Column names, labels and option values live here once, so that every module and every output
speaks the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The three survey tables (see the data model in the docs).
FIRM_ID = "firm_id"
NAME = "name"
RESPONDENT = "respondent"
SOURCE = "source"
TARGET = "target"
WEIGHT = "weight"
RELATION = "relation"
WAVE = "wave"
ACTOR = "actor"
ACTOR_TYPE = "actor_type"
DIRECTION = "direction"

DEFAULT_RELATION = "knowledge"
UNKNOWN_ACTOR_TYPE = "unspecified"

TIE_COLUMNS = (SOURCE, TARGET, WEIGHT, RELATION)
EXTERNAL_COLUMNS = (FIRM_ID, ACTOR, ACTOR_TYPE, DIRECTION, WEIGHT)

# Default column names of tie tables, tried case-insensitively when the caller names none (by
# read_survey and kflow.scale). For "asks" and "gives" files the first column of a pair holds
# the respondent, the second the named firm.
PAIR_DEFAULTS = (("source", "target"), ("respondent", "alter"), ("ego", "alter"), ("from", "to"))
WEIGHT_DEFAULTS = ("weight", "value")
# How a yes/no column (respondent) may be written.
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "t"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "f"})

# Which question an input file answers; see read_survey.
ORIENTATIONS = ("asks", "gives", "flow")
LAYOUTS = ("auto", "edgelist", "matrix", "questionnaire")
NEGATIVE_POLICIES = ("error", "drop")
DUPLICATE_POLICIES = ("error", "max", "sum", "mean", "last")
MISSING_TREATMENTS = ("nan", "zero", "reconstruct")
DIRECTIONS = ("in", "out")

# Node groups in graph views.
GROUP_CLUSTER = "cluster"
GROUP_OUTSIDE = "outside"

_DIGITS = re.compile(r"(\d+)")


def natural_key(firm_id: str) -> tuple:
    """Sort key that orders ids as people do: ``P2`` before ``P10``, ``007`` before ``8``.

    Digit runs compare by value, then by their written length, so ``7`` and ``007`` stay distinct
    and the order is total and deterministic; as in ASCII, digits come before letters.
    """
    parts = _DIGITS.split(firm_id)
    key: list[tuple] = []
    for i, part in enumerate(parts):
        if i % 2:
            key.append((0, int(part), len(part), ""))
        elif part:
            key.append((1, 0, 0, part))
    return tuple(key)


def sorted_ids(ids: Iterable[str]) -> list[str]:
    """Return the distinct ids in natural order (see :func:`natural_key`)."""
    return sorted(set(ids), key=natural_key)


# Cognitive roles (Giuliani & Bell 2005, after Allen 1977), in report order.
GATEKEEPER = "technological_gatekeeper"
MUTUAL_EXCHANGER = "active_mutual_exchanger"
EXTERNAL_STAR = "external_star"
ISOLATED = "isolated_firm"
ROLES = (GATEKEEPER, EXTERNAL_STAR, MUTUAL_EXCHANGER, ISOLATED)

# Knowledge positions inside the cluster.
POSITIONS = ("source", "absorber", "mutual_exchanger", "isolated")

# Gould & Fernandez (1989) brokerage roles, in the order of R sna's columns.
BROKERAGE_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total")
