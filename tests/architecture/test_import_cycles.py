"""No import cycles in the package, the hidden ones included.

A cycle hidden in a function body or behind ``if TYPE_CHECKING:`` still ties two
modules together: neither can be understood, tested or moved without the other, and
the function-level import that hides it is where a real import-time cycle comes back
the day someone moves it to the top. So every import counts here, wherever it is
written. The graph is built by reading every module with ``ast`` (nothing is
imported); its strongly connected components are the cycles, and each one is printed
as chains of ``path:line`` so the edge to cut can be read off the failure.

``from pkg import name`` is an edge to the submodule ``pkg.name`` when there is one,
and to ``pkg/__init__.py`` otherwise. A literal ``importlib.import_module("...")``
counts too.

ui/ is tested on its own (``test_no_import_cycles_inside_ui``) so the cycles of the
layers below it, which must stay at zero, are never mixed up with ui/'s own.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pytest

from repo_paths import REPO

PACKAGE = "safeguard_desktop"
PACKAGE_DIR = REPO / "src" / PACKAGE


@dataclass(frozen=True)
class Edge:
    """One import statement from one module of the package to another."""

    source: str  # dotted module name, e.g. "safeguard_desktop.services.store"
    target: str
    line: int
    where: str  # "module level", "in a function" or "TYPE_CHECKING"


def module_name(rel_path: str, package: str = PACKAGE) -> str:
    """``services/store.py`` -> ``safeguard_desktop.services.store``; a package is its folder."""
    parts = rel_path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([package, *parts])


def module_path(module: str, paths: Mapping[str, str]) -> str:
    """The file a module name was read from, as written in a failure."""
    return f"src/{PACKAGE}/{paths[module]}" if module in paths else module


def _is_type_checking(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _import_nodes(node: ast.AST, where: str = "module level") -> Iterator[tuple[ast.AST, str]]:
    """Every import (and literal dynamic import) under ``node``, with where it is written.

    Inside a function wins over TYPE_CHECKING for the label: either way the import
    does not run when the module is loaded; the label only tells the reader which.
    """
    if isinstance(node, ast.Import | ast.ImportFrom | ast.Call):
        yield node, where
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        where = "in a function"
    if isinstance(node, ast.If) and where != "in a function" and _is_type_checking(node.test):
        for stmt in node.body:
            yield from _import_nodes(stmt, "TYPE_CHECKING")
        for stmt in node.orelse:
            yield from _import_nodes(stmt, where)
        return
    for child in ast.iter_child_nodes(node):
        yield from _import_nodes(child, where)


def _resolve(base: str, known: frozenset[str]) -> str | None:
    """The innermost module of the package that ``base`` names (or lies in); None if outside."""
    if base != PACKAGE and not base.startswith(PACKAGE + "."):
        return None
    parts = base.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def _targets(
    node: ast.AST, module: str, is_package: bool, known: frozenset[str]
) -> Iterator[tuple[str, int]]:
    """The package's modules one import node pulls in, each with its line."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if (target := _resolve(alias.name, known)) is not None:
                yield target, node.lineno
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            anchor = module.split(".") if is_package else module.split(".")[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join(anchor + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            target = submodule if submodule in known else _resolve(base, known)
            if target is not None:
                yield target, node.lineno
    elif isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        first = node.args[0] if node.args else None
        if (
            name in {"import_module", "__import__"}
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and (target := _resolve(first.value, known)) is not None
        ):
            yield target, node.lineno


def import_graph(sources: Mapping[str, str]) -> tuple[dict[str, list[Edge]], dict[str, str]]:
    """Edges out of every module, and the path each module name was read from.

    ``sources`` maps a path inside the package (``services/store.py``) to its text.
    """
    paths = {module_name(rel): rel for rel in sources}
    known = frozenset(paths)
    graph: dict[str, list[Edge]] = {module: [] for module in paths}
    for module, rel in paths.items():
        tree = ast.parse(sources[rel], filename=rel)
        is_package = rel.endswith("__init__.py")
        seen: set[tuple[str, int]] = set()
        for node, where in _import_nodes(tree):
            for target, line in _targets(node, module, is_package, known):
                if (target, line) not in seen:  # `from m import a, b` is one edge
                    seen.add((target, line))
                    graph[module].append(Edge(module, target, line, where))
    return graph, paths


def strongly_connected(graph: Mapping[str, list[Edge]]) -> list[list[str]]:
    """Tarjan's algorithm with an explicit stack (a long chain needs no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    work: list[tuple[str, Iterator[str]]] = []  # the depth-first path, each with its next edges
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        work.append((node, iter(sorted({e.target for e in graph[node]}))))

    for root in sorted(graph):
        if root in index:
            continue
        visit(root)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    visit(succ)
                    break  # go deeper; this node's remaining edges wait in its iterator
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return sorted(components)


def cyclic_components(graph: Mapping[str, list[Edge]]) -> list[list[str]]:
    """Components that hold a cycle: two modules or more, or one that imports itself."""
    return [
        c
        for c in strongly_connected(graph)
        if len(c) > 1 or any(e.target == c[0] for e in graph[c[0]])
    ]


def cycles_through(component: list[str], graph: Mapping[str, list[Edge]]) -> list[list[str]]:
    """Short cycles that between them use every import inside one component.

    For each edge u -> v inside it, the shortest way back v -> ... -> u closes a
    cycle; duplicates (the same cycle started elsewhere) are dropped. Listing every
    elementary cycle could run to thousands; this shows each edge that has to go.
    """
    members = set(component)
    inside = {m: sorted({e.target for e in graph[m] if e.target in members}) for m in component}

    def path(start: str, goal: str) -> list[str]:
        came_from: dict[str, str | None] = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                break
            for succ in inside[node]:
                if succ not in came_from:
                    came_from[succ] = node
                    queue.append(succ)
        steps: list[str] = []
        at: str | None = goal
        while at is not None:
            steps.append(at)
            at = came_from[at]
        return steps[::-1]

    found: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for source in component:
        for target in inside[source]:
            cycle = [source] if target == source else [source, *path(target, source)[:-1]]
            # The same cycle started at its smallest module is one key.
            turn = cycle.index(min(cycle))
            key = tuple(cycle[turn:] + cycle[:turn])
            if key not in seen:
                seen.add(key)
                found.append(list(key))
    return sorted(found, key=lambda c: (len(c), c))


def describe(cycle: list[str], graph: Mapping[str, list[Edge]], paths: Mapping[str, str]) -> str:
    """One cycle as a chain, a line per module: ``path:line (where) imports`` the next one."""
    lines: list[str] = []
    for i, module in enumerate(cycle):
        nxt = cycle[(i + 1) % len(cycle)]
        at = ", ".join(f"{e.line} ({e.where})" for e in graph[module] if e.target == nxt)
        lines.append(f"    {module_path(module, paths)}:{at} imports")
    lines.append(f"    {module_path(cycle[0], paths)}")
    return "\n".join(lines)


def report(
    components: list[list[str]], graph: Mapping[str, list[Edge]], paths: Mapping[str, str]
) -> str:
    parts: list[str] = []
    for component in components:
        names = ", ".join(module_path(m, paths) for m in component)
        parts.append(f"{len(component)} modules tied together: {names}")
        for cycle in cycles_through(component, graph):
            parts.append(describe(cycle, graph, paths))
    return "\n".join(parts)


def _is_ui(module: str) -> bool:
    return module.startswith(f"{PACKAGE}.ui.") or module == f"{PACKAGE}.ui"


def package_sources() -> dict[str, str]:
    """Path inside the package -> text, for every module of the package."""
    return {
        path.relative_to(PACKAGE_DIR).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def package_graph() -> tuple[dict[str, list[Edge]], dict[str, str]]:
    return import_graph(package_sources())


def test_graph_covers_the_package(
    package_graph: tuple[dict[str, list[Edge]], dict[str, str]],
) -> None:
    """Guards against a walker that finds nothing and so finds no cycle."""
    graph, _paths = package_graph
    layers = {m.split(".")[1] for m in graph if m.count(".") >= 1}
    assert {"domain", "security", "storage", "pdf", "services", "ui"} <= layers
    store = f"{PACKAGE}.services.store"
    assert any(e.target.startswith(f"{PACKAGE}.storage.") for e in graph[store])
    wheres = {e.where for edges in graph.values() for e in edges}
    assert wheres == {"module level", "in a function", "TYPE_CHECKING"}


def test_no_import_cycles_below_ui(
    package_graph: tuple[dict[str, list[Edge]], dict[str, str]],
) -> None:
    """domain/ .. services/, cli.py and app.py: no cycle, and none through ui/ either."""
    graph, paths = package_graph
    found = [c for c in cyclic_components(graph) if not all(_is_ui(m) for m in c)]
    if found:
        pytest.fail("import cycles below ui/:\n" + report(found, graph, paths), pytrace=False)


def test_no_import_cycles_inside_ui(
    package_graph: tuple[dict[str, list[Edge]], dict[str, str]],
) -> None:
    """ui/'s feature packages, its widgets and its shell: no cycle among them either."""
    graph, paths = package_graph
    found = [c for c in cyclic_components(graph) if all(_is_ui(m) for m in c)]
    if found:
        pytest.fail("import cycles inside ui/:\n" + report(found, graph, paths), pytrace=False)


# The checker itself, on made-up module sets: each cycle must be found, whichever way
# it is written, and nothing must be found where there is none.
_CYCLIC: dict[str, tuple[dict[str, str], set[str]]] = {
    "direct": (
        {"a.py": "from . import b\n", "b.py": "from .a import X\n"},
        {"a", "b"},
    ),
    "absolute": (
        {"a.py": f"import {PACKAGE}.b\n", "b.py": f"from {PACKAGE}.a import X\n"},
        {"a", "b"},
    ),
    "function-level": (
        {"a.py": "from .b import f\n", "b.py": "def f():\n    from .a import X\n    return X\n"},
        {"a", "b"},
    ),
    "method-level": (
        {
            "a.py": "from .b import C\n",
            "b.py": "class C:\n    def m(self):\n        from . import a\n",
        },
        {"a", "b"},
    ),
    "type-checking": (
        {
            "a.py": "from .b import f\n",
            "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import X\n",
        },
        {"a", "b"},
    ),
    "typing.TYPE_CHECKING": (
        {
            "a.py": "from .b import f\n",
            "b.py": "import typing\nif typing.TYPE_CHECKING:\n    from .a import X\n",
        },
        {"a", "b"},
    ),
    "three modules": (
        {"a.py": "from .b import B\n", "b.py": "from .c import C\n", "c.py": "from .a import A\n"},
        {"a", "b", "c"},
    ),
    "through a package __init__": (
        # `from . import NAME`, NAME not a module: an edge to the package itself.
        {
            "pkg/__init__.py": "from .mod import thing\nNAME = 1\n",
            "pkg/mod.py": "from . import NAME\n",
        },
        {"pkg", "pkg.mod"},
    ),
    "two levels up": (
        {
            "outer/inner/deep.py": "from ...top import T\n",
            "top.py": "from .outer.inner import deep\n",
            "outer/__init__.py": "",
            "outer/inner/__init__.py": "",
        },
        {"top", "outer.inner.deep"},
    ),
    "dynamic": (
        {
            "a.py": "from .b import f\n",
            "b.py": f"import importlib\ndef f():\n    importlib.import_module('{PACKAGE}.a')\n",
        },
        {"a", "b"},
    ),
    "importing itself": ({"a.py": "def f():\n    from . import a\n"}, {"a"}),
}


@pytest.mark.parametrize("case", list(_CYCLIC))
def test_checker_finds_cycle(case: str) -> None:
    sources, members = _CYCLIC[case]
    graph, paths = import_graph(sources)
    found = cyclic_components(graph)
    expected = sorted(f"{PACKAGE}.{m}" for m in members)
    assert expected in found, f"{case}: expected {expected}, found {found}"
    # Every module of the component is named in the report, with a line number.
    text = report(found, graph, paths)
    for module in expected:
        assert module_path(module, paths) in text


_ACYCLIC: dict[str, dict[str, str]] = {
    "chain": {"a.py": "from .b import B\n", "b.py": "from .c import C\n", "c.py": "C = 1\n"},
    "diamond": {
        "a.py": "from . import b, c\n",
        "b.py": "from .d import D\n",
        "c.py": "def f():\n    from .d import D\n",
        "d.py": "import os\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import json\n",
    },
    "submodule, not the package": {
        # `from . import b` names the module b, so it is no edge to pkg/__init__.py.
        "pkg/__init__.py": "from .a import A\n",
        "pkg/a.py": "from . import b\nA = b.B\n",
        "pkg/b.py": "B = 1\n",
    },
    "same name outside the package": {
        "a.py": "import b\nfrom other.a import x\n",
        "b.py": "from .a import A\n",
    },
}


@pytest.mark.parametrize("case", list(_ACYCLIC))
def test_checker_passes(case: str) -> None:
    graph, paths = import_graph(_ACYCLIC[case])
    found = cyclic_components(graph)
    assert not found, report(found, graph, paths)


def test_checker_report_reads_as_a_chain() -> None:
    sources = {
        "a.py": "from .b import B\n",
        "b.py": "import os\n\ndef f():\n    from .c import C\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import A\n",
    }
    graph, paths = import_graph(sources)
    text = report(cyclic_components(graph), graph, paths)
    root = f"src/{PACKAGE}"
    assert text == (
        f"3 modules tied together: {root}/a.py, {root}/b.py, {root}/c.py\n"
        f"    {root}/a.py:1 (module level) imports\n"
        f"    {root}/b.py:4 (in a function) imports\n"
        f"    {root}/c.py:3 (TYPE_CHECKING) imports\n"
        f"    {root}/a.py"
    )


def test_checker_lists_every_edge_of_a_component() -> None:
    """Two cycles sharing a module are both shown, so no edge to cut is left unsaid."""
    sources = {
        "a.py": "from . import b, c\n",
        "b.py": "from . import a\n",
        "c.py": "def f():\n    from . import a\n",
    }
    graph, _paths = import_graph(sources)
    (component,) = cyclic_components(graph)
    cycles = cycles_through(component, graph)
    a, b, c = (f"{PACKAGE}.{m}" for m in "abc")
    assert cycles == [[a, b], [a, c]]


def test_tarjan_is_not_recursive() -> None:
    """A long chain closed into a ring is one component, found without recursion."""
    n = 5000
    sources = {f"m{i}.py": f"from . import m{(i + 1) % n}\n" for i in range(n)}
    graph, _paths = import_graph(sources)
    (component,) = cyclic_components(graph)
    assert len(component) == n
