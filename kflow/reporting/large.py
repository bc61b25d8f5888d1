"""The report of a large network: what it summarizes instead of drawing or testing everything.

A sociogram of thousands of firms is a grey disc, its force-directed layout takes minutes, and a
QAP test relabels n x n matrices thousands of times. Above the sizes set here the report states
what it did instead, in the caption or the notes of the section concerned:

- the sociogram draws the backbone: the :data:`SOCIOGRAM_FIRMS` firms with most ties in the
  layer (ties ranked by in + out degree; equal degrees in the order the figure draws firms) and
  the ties among them; every firm stays in the tables and the CSV files;
- the betweenness centralization of the network summary is estimated from the paths of
  :data:`PATH_SOURCES` source firms drawn with the report's seed (Brandes and Pich 2007) above
  :data:`PATHS_EXACT_FIRMS` firms;
- the capacity homophily test (QAP) is left out above
  :data:`kflow.outcomes.qap.QAP_MAX_FIRMS` firms with a note.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow.survey import Survey

__all__ = ["PATHS_EXACT_FIRMS", "PATH_SOURCES", "SOCIOGRAM_FIRMS", "backbone"]

# Shortest paths are counted from every firm up to this size, from a sample of sources above.
PATHS_EXACT_FIRMS = 2000
PATH_SOURCES = 500
# Firms the sociogram draws at most; larger networks are drawn as their backbone.
SOCIOGRAM_FIRMS = 400


def backbone(survey: Survey, order: list[str], size: int) -> tuple[Survey, str]:
    """The ``size`` firms with most ties in the layer, the ties among them and their outside
    ties, as a Survey; and the sentence saying so (empty when every firm is kept).

    ``order`` (the order the figure draws firms in) breaks equal degrees, so that the choice is
    the same in every run and, in an anonymized report, does not follow the firm ids.
    """
    n = survey.n_firms
    if n <= size:
        return survey, ""
    ties = survey.layer()
    firms = pd.Index(order, dtype=object)
    degree = (np.bincount(firms.get_indexer(ties[V.SOURCE]), minlength=n)
              + np.bincount(firms.get_indexer(ties[V.TARGET]), minlength=n))
    # Most ties first; among equals, the drawing order.
    keep = set(firms[np.lexsort([np.arange(n), -degree])[:size]])
    inside = ties[V.SOURCE].isin(keep) & ties[V.TARGET].isin(keep)
    external = survey.external
    drawn = Survey(
        firms=survey.firms.loc[[f for f in survey.firm_ids if f in keep]],
        ties=ties.loc[inside].reset_index(drop=True),
        external=external.loc[external[V.FIRM_ID].isin(keep)].reset_index(drop=True),
        meta=dict(survey.meta),
        validation=None,
    )
    note = (f"The network has {n:,} firms: the figure draws its backbone, the {size:,} firms "
            f"with most ties and the {int(inside.sum()):,} ties among them "
            f"({len(ties):,} ties in all); every firm is in the tables and the CSV files.")
    return drawn, note
