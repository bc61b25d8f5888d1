"""The documentation site covers the public API: every public function and class appears on an
API page (rendered by mkdocstrings from its docstring), and every public function's docstring
carries a runnable example."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import kflow
import kflow.datasets
import kflow.upgrading

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _documented() -> set[str]:
    names: set[str] = set()
    for page in (DOCS / "api").glob("*.md"):
        names |= set(re.findall(r"^::: ([\w.]+)$", page.read_text("utf-8"), re.M))
    return names


def _public() -> dict[str, object]:
    found = {f"kflow.{n}": getattr(kflow, n) for n in kflow.__all__}
    for module in (kflow.upgrading, kflow.datasets):
        found |= {f"{module.__name__}.{n}": getattr(module, n) for n in module.__all__}
    try:
        import kflow.scale as scale
    except ImportError:  # the optional extra is not installed
        pass
    else:
        found |= {f"kflow.scale.{n}": getattr(scale, n) for n in scale.__all__}
    return {k: v for k, v in found.items() if inspect.isfunction(v) or inspect.isclass(v)}


def _resolve(path: str) -> object:
    """The object an API entry names: a module path, then attributes."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part)
        return obj
    raise ImportError(path)


def test_every_public_name_is_on_an_api_page():
    # Entries name where each object is defined (kflow.roles.brokerage.brokerage), since a
    # function and its module share a name; every public object must be among them.
    documented = {id(_resolve(path)) for path in _documented()}
    missing = sorted(name for name, obj in _public().items() if id(obj) not in documented)
    assert missing == []


def test_every_public_function_on_the_site_has_an_example():
    for name, obj in _public().items():
        if inspect.isfunction(obj):
            assert ">>>" in (inspect.getdoc(obj) or ""), name


def test_docs_pages_in_the_nav_exist():
    config = (DOCS.parent / "mkdocs.yml").read_text("utf-8")
    for page in re.findall(r":\s+([\w/-]+\.md)$", config, re.M):
        assert (DOCS / page).exists(), page
