"""National-scale networks: the same measures on edge tables larger than memory (DuckDB) or
held on a cluster (Spark), written once as Ibis expressions.

Needs the optional extra: ``pip install "kflow[scale]"`` (Ibis with DuckDB) or
``"kflow[spark]"`` (Ibis with PySpark; Spark needs Java).
"""

from kflow.scale.measures import brokerage_counts, centrality, classify_roles, external_openness

__all__ = ["brokerage_counts", "centrality", "classify_roles", "external_openness"]
