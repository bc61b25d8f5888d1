"""Test collection of this subpackage: its doctests need the optional extra (Ibis with DuckDB,
``pip install -e ".[scale]"``) and are skipped without it. Not shipped in the wheel."""

import importlib.util

collect_ignore_glob = []
if importlib.util.find_spec("ibis") is None or importlib.util.find_spec("duckdb") is None:
    collect_ignore_glob.append("*.py")
