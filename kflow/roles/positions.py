"""Knowledge positions inside the cluster: sources, absorbers, mutual exchangers, isolated firms.

The balance of what a firm gives and receives among local firms (Giuliani & Bell 2005), beside
the cognitive roles of :mod:`kflow.roles.cognitive`, which add the outside axis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kflow._layers import focus
from kflow.exceptions import bad_parameter
from kflow.measures.centrality import centrality
from kflow.survey import Survey

__all__ = ["knowledge_positions"]


def knowledge_positions(
    survey: Survey,
    *,
    tolerance: float = 0.2,
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
) -> pd.DataFrame:
    r"""Knowledge position of each firm inside the cluster: source, absorber or mutual exchanger.

    With balance b = (out - in) / (out + in) of a firm's out-degree (firms it gives knowledge to)
    and in-degree (firms it receives from): ``source`` if b > tolerance, ``absorber`` if
    b < -tolerance, ``mutual_exchanger`` otherwise, ``isolated`` if out + in = 0 (kflow
    convention, after Giuliani & Bell 2005).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``firm_id``: ``out_degree``, ``in_degree``, ``balance``, ``position`` (None
        when the firm's degrees are unknown).

    Notes
    -----
    With out-degree :math:`o_i` (firms i passes knowledge to) and in-degree :math:`r_i` (firms it
    receives from), the balance

    .. math::

        b_i = \frac{o_i - r_i}{o_i + r_i}

    makes a firm a ``source`` if :math:`b_i > \tau`, an ``absorber`` if :math:`b_i < -\tau`, a
    ``mutual_exchanger`` otherwise, and ``isolated`` if :math:`o_i + r_i = 0` (kflow's convention,
    :math:`\tau = 0.2`), after the sources, absorbers and mutual exchangers of [1]_.

    See Also
    --------
    classify_roles : the cognitive roles, which add the outside axis.

    References
    ----------
    .. [1] Giuliani, E., & Bell, M. (2005). The micro-determinants of meso-level learning and
       innovation: evidence from a Chilean wine cluster. *Research Policy*, 34(1), 47-68.
       https://doi.org/10.1016/j.respol.2004.10.008

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> s = kflow.read_survey(pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "a"]}),
    ...                       orientation="flow")
    >>> kflow.knowledge_positions(s)["position"].tolist()
    ['source', 'mutual_exchanger', 'absorber']
    """
    survey = focus(survey, wave)
    if not (isinstance(tolerance, (int, float)) and 0 <= tolerance < 1):
        raise bad_parameter("knowledge_positions", "tolerance", "a number in [0, 1)", tolerance)
    c = centrality(
        survey, measures=["out_degree", "in_degree"], relation=relation, wave=wave, missing=missing
    )
    out_d = c["out_degree"].to_numpy(dtype=float)
    in_d = c["in_degree"].to_numpy(dtype=float)
    total = out_d + in_d
    with np.errstate(invalid="ignore", divide="ignore"):
        balance = np.where(total > 0, (out_d - in_d) / total, np.nan)
    position = np.select(
        [total == 0, balance > tolerance, balance < -tolerance],
        ["isolated", "source", "absorber"],
        default="mutual_exchanger",
    ).astype(object)
    position[np.isnan(total)] = None
    table = c.copy()
    table["balance"] = balance
    table["position"] = position
    return table
