"""The command line starts fast: --help, --version and validate load no heavy library."""

from __future__ import annotations

import subprocess
import sys

from conftest import DATASETS

HEAVY = ("statsmodels", "matplotlib", "scipy.stats", "igraph")

PROBE = """
import sys
from kflow.cli import main
try:
    code = main({argv!r})
except SystemExit as exc:
    code = exc.code
heavy = [m for m in {heavy!r} if m in sys.modules]
print("HEAVY=" + ",".join(heavy))
"""


def _heavy_loaded(argv: list[str]) -> list[str]:
    script = PROBE.format(argv=argv, heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("HEAVY="))
    return [m for m in line[len("HEAVY="):].split(",") if m]


def test_version_and_help_load_no_heavy_library():
    assert _heavy_loaded(["--version"]) == []
    assert _heavy_loaded(["--help"]) == []
    assert _heavy_loaded(["report", "--help"]) == []


def test_validate_loads_no_heavy_library():
    example = DATASETS / "example_cluster"
    argv = ["validate", str(example / "ties.csv"), "--orientation", "asks",
            "--firms", str(example / "firms.csv"), "--external", str(example / "external.csv")]
    assert _heavy_loaded(argv) == []


def test_import_kflow_is_light_and_analyses_load_on_use():
    script = (
        f"import sys, kflow; print(any(m in sys.modules for m in {HEAVY!r})); "
        "kflow.compare_groups; print('scipy.stats' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True"]


def test_degrees_openness_and_roles_load_neither_igraph_matplotlib_nor_scipy():
    # The national-scale pipeline (degrees, openness, roles) needs none of them; igraph itself
    # imports matplotlib.pyplot, about a second of a fresh process.
    example = DATASETS / "example_cluster"
    script = (
        "import sys, kflow; "
        f"s = kflow.read_survey({str(example / 'ties.csv')!r}, orientation='asks', "
        f"external={str(example / 'external.csv')!r}); "
        "kflow.centrality(s, measures=['out_degree', 'in_degree', 'out_strength']); "
        "kflow.external_openness(s); kflow.classify_roles(s); "
        "print([m for m in ('igraph', 'matplotlib', 'scipy') if m in sys.modules]); "
        "kflow.centrality(s, measures=['betweenness']); print('igraph' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["[]", "True"]
