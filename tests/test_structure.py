"""The shape of the codebase: small modules, short functions, imports that only run downwards.

These read the source as text (nothing is imported), so they hold for every clone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kflow"
MAX_MODULE_LINES = 450
MAX_FUNCTION_BODY = 80


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str) -> list[tuple[str, list[str]]]:
    """Every (module imported, names taken) at any depth, except under ``if TYPE_CHECKING``."""
    found: list[tuple[str, list[str]]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")
                if MODULES[module].name != "__init__.py":
                    package = package[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            names = [alias.name for alias in node.names]
            # "from kflow import vocabulary" imports the submodule kflow.vocabulary.
            subs = [n for n in names if f"{base}.{n}" in MODULES]
            found.extend((f"{base}.{n}", []) for n in subs)
            rest = [n for n in names if n not in subs]
            if rest or not subs:
                found.append((base, rest))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return [(m, names) for m, names in found if m.split(".")[0] == "kflow"]


GRAPH = {m: _imports(ast.parse(p.read_text(encoding="utf-8")), m) for m, p in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    edges = {m: sorted({t for t, _ in GRAPH[m] if t in MODULES and t != m}) for m in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in MODULES:
        if v not in index:
            strong(v)
    return out


def test_no_import_cycle():
    assert _cycles() == []


def _room(module: str) -> str:
    """The subpackage a module belongs to (a top-level module is its own room)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_private_name_crosses_a_subpackage():
    bad = []
    for module, imports in GRAPH.items():
        for target, names in imports:
            if _room(target) == _room(module):
                continue
            hidden = [p for p in target.split(".")[2:] if p.startswith("_")]
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            if hidden or private:
                bad.append(f"{module} imports {private or hidden} from {target}")
    assert bad == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_is_small(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module} has {lines} lines"


def _function_bodies():
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body
                doc = ast.get_docstring(node, clean=False) is not None
                first = body[1] if doc and len(body) > 1 else body[0]
                yield f"{module}.{node.name}", node.end_lineno - first.lineno + 1


def test_functions_are_short():
    long = {name: n for name, n in _function_bodies() if n > MAX_FUNCTION_BODY}
    assert long == {}


def test_report_function_and_reporting_subpackage_do_not_clash():
    import kflow

    assert callable(kflow.report)
    assert kflow.reporting.model.ReportModel is kflow.reporting.ReportModel
    assert kflow.reporting.sections.SECTIONS == kflow.reporting.SECTIONS


def test_every_result_has_a_short_repr_a_summary_and_a_frame():
    import numpy as np

    import kflow
    from kflow._results import Result

    s = kflow.datasets.load_network("example_cluster")
    sim = kflow.datasets.simulate_cluster(24, seed=3)
    w2 = kflow.datasets.simulate_cluster(24, seed=4)
    rng = np.random.default_rng(0)
    m = rng.random((6, 6))
    results = [
        s.validation,
        kflow.ei_index(s, {f: i % 2 for i, f in enumerate(s.firm_ids)}, n_permutations=9),
        kflow.classify_roles(s),
        kflow.brokerage(s),
        kflow.compare_waves(sim, w2),
        kflow.absorptive_capacity_index(sim.firms, ["graduate_share", "experience_years"]),
        kflow.compare_groups(sim.firms, "product", by="exporter", n_permutations=9),
        kflow.regress(sim.firms, "product", ["graduate_share"]),
        kflow.qap(m, m + rng.random((6, 6)), n_permutations=9),
        kflow.link_upgrading(sim, n_permutations=9, seed=0),
    ]
    kinds = {type(r) for r in results}
    assert kinds == {cls for cls in _result_classes()}, "a result class is missing here"
    for result in results:
        assert isinstance(result, Result)
        text = repr(result)
        assert len(text.splitlines()) < 15, type(result).__name__
        assert str(result) == result.summary()
        assert "<pre>" in result._repr_html_()
        assert len(result.to_frame()) >= 0
    assert len(repr(s).splitlines()) == 1


def _result_classes():
    import kflow
    from kflow._results import Result

    return {
        obj
        for name in dir(kflow)
        if isinstance(obj := getattr(kflow, name), type) and issubclass(obj, Result)
    }
