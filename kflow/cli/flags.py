"""The command line's vocabulary: which flag sets which parameter, and messages in flag terms.

kflow's errors name the Python parameters (``pass relation=``); on the command line the same
message is rewritten once, here, to name the flags (``pass --relation``).
"""

from __future__ import annotations

import re

__all__ = ["FLAGS", "in_flag_terms"]

#: Parameter name -> the flag that sets it.
FLAGS = {
    "orientation": "--orientation",
    "firms": "--firms",
    "layout": "--layout",
    "source": "--source",
    "target": "--target",
    "weight": "--weight",
    "relation": "--relation",
    "wave": "--wave",
    "firm_id": "--firm-id",
    "scale": "--scale",
    "duplicates": "--duplicates",
    "missing": "--missing",
    "add_unknown_firms": "--add-unknown-firms",
    "encoding": "--encoding",
    "sep": "--sep",
    "sheet": "--sheet",
    "membership": "--membership",
    "local": "--local-axis",
    "threshold": "--threshold",
    "outcomes": "--outcomes",
    "capacity": "--capacity",
    "seed": "--seed",
    "n_permutations": "--permutations",
    "n_resamples": "--resamples",
    "n_simulations": "--simulations",
    "title": "--title",
    "force": "--force",
    "formats": "--formats",
}

_SPECIAL = (
    (re.compile(r"add_unknown_firms=True"), "--add-unknown-firms"),
    (re.compile(r"scale=\(min, max\)"), "--scale MIN MAX"),
    (re.compile(r"duplicates='max', 'sum', 'mean' or 'last'"), "--duplicates max|sum|mean|last"),
    (re.compile(r"\bPass sheet="), "Pass --sheet"),
    (re.compile(r"force=True"), "--force"),
    (re.compile(r"external=COLUMN"), "--external-axis COLUMN"),
    (re.compile(r"\(external=, CLI --external\)"), "(--external)"),
    (re.compile(r"\(external=COLUMN, CLI --external-axis\)"), "(--external-axis COLUMN)"),
)
_PARAMETER = re.compile(r"The '(\w+)' parameter of [\w.]+ must be")
_ASSIGNMENT = re.compile(r"(?<![\w-])(\w+)=(?!=)")
_LOOSE_SPACE = re.compile(r" ([.,;:)])(?=\s|$)")


def in_flag_terms(message: str) -> str:
    """Rewrite a kflow message that names Python parameters so that it names the flags."""
    for pattern, flag in _SPECIAL:
        message = pattern.sub(flag, message)
    message = _PARAMETER.sub(
        lambda m: f"{FLAGS[m.group(1)]} must be" if m.group(1) in FLAGS else m.group(0), message
    )
    message = _ASSIGNMENT.sub(
        lambda m: f"{FLAGS[m.group(1)]} " if m.group(1) in FLAGS else m.group(0), message
    )
    return _LOOSE_SPACE.sub(r"\1", message).replace("  ", " ")
