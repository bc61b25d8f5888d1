"""Collection rules for the whole checkout: the doctests of kflow.scale need its optional extra
(``pip install -e ".[scale]"``, Ibis with DuckDB) and are skipped without it."""

import importlib.util

collect_ignore_glob = []
if importlib.util.find_spec("ibis") is None or importlib.util.find_spec("duckdb") is None:
    collect_ignore_glob.append("kflow/scale/*.py")
