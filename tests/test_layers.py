"""The package's layers (issue 24): data flows one way, from ``core`` up to ``hub``.

The order is written once, here, and drawn in docs/architecture.md ("Layers"). Every import of every
module of ``src/reconnect`` is read (also those inside functions), and the test fails on an import that
runs back up the order, on an import cycle between modules, and on a module the table of
docs/architecture.md puts in another layer or leaves out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "reconnect"
ARCHITECTURE = ROOT / "docs" / "architecture.md"

#: Bottom to top: a module may import its own layer and the layers below it, never one above.
#: Layers on one line share a rank (they may import each other, but no cycle is allowed).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("bank",),
    ("records",),
    ("results",),
    ("output",),
    ("ui",),
    ("notebook", "apps"),
    ("hub",),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> str | None:
    """``reconnect.records.store`` -> ``records``; the package's own ``__init__`` has no layer."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``module`` imports anywhere in its text (a package counts as its ``__init__``)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            names = [f"{source}.{alias.name}" for alias in node.names]
            names = [n if n in known else source for n in names]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {m: imports_of(m, p, known) for m, p in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other round in a circle (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_every_module_is_in_a_layer():
    top = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    assert len(top) <= 12, f"at most a dozen entries at the top of src/reconnect, found {len(top)}: {top}"
    strays = [m for m in modules() if layer_of(m) is not None and layer_of(m) not in RANK]
    assert strays == [], f"modules outside every layer of tests/test_layers.py LAYERS: {strays}"


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Every import from a module to one in a layer of a higher rank."""
    return [
        f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
        for module, targets in sorted(graph.items())
        if layer_of(module) is not None
        for target in sorted(targets)
        if layer_of(target) is not None and RANK[layer_of(target)] > RANK[layer_of(module)]
    ]


def test_no_import_runs_back_up_the_layers():
    found = upward(import_graph())
    assert found == [], "imports that run back up the layers:\n" + "\n".join(found)


def test_the_layer_check_finds_an_import_back_up():
    graph = {"reconnect.core.paths": {"reconnect.bank.i18n"}, "reconnect.ui.start": {"reconnect.records.codes"}}
    assert upward(graph) == ["reconnect.core.paths (core) imports reconnect.bank.i18n (bank)"]


def test_no_import_cycle_between_modules():
    found = cycles(import_graph())
    assert found == [], "import cycles:\n" + "\n".join(" <-> ".join(group) for group in found)


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_architecture_table_matches_the_layers():
    """docs/architecture.md's table: one row a layer, in this order, naming every module of it."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if re.match(r"\|\s*\d+\s*\|", line)]
    table = {}
    for row in rows:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        rank, layer, listed = int(cells[0]), cells[1].strip("`/ ").removesuffix(".py"), cells[2]
        table[layer] = (rank, set(re.findall(r"`([a-z0-9_]+)(?:\.py|/)?`", listed)))
    assert {layer: rank for layer, (rank, _) in table.items()} == RANK
    for module in modules():
        layer = layer_of(module)
        if layer is None or module.count(".") < 2 or module.endswith("__main__"):
            continue
        name = module.split(".")[2]
        assert name in table[layer][1], f"docs/architecture.md's Layers table does not list {name} under {layer}"


# -- Size: no module over 500 lines, no function over 80, unless docs/architecture.md says why -------------
MODULE_LINES = 500
FUNCTION_LINES = 80


def too_long() -> dict[str, int]:
    """``{"records/validate.py": 749, "bank/content.py:_parse": 166, ...}``: what is over the limits."""
    found: dict[str, int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MODULE_LINES:
            found[rel] = len(text.splitlines())
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - min([node.lineno, *(d.lineno for d in node.decorator_list)]) + 1
                if lines > FUNCTION_LINES:
                    found[f"{rel}:{node.name}"] = lines
    return found


def allowed() -> dict[str, str]:
    """docs/architecture.md's "Size" table: ``| `place` | reason |`` for each module or function let be."""
    section = ARCHITECTURE.read_text(encoding="utf-8").split("\n## Size", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {re.match(r"\| `([^`]+)`", row).group(1): row.rsplit("|", 2)[-2].strip() for row in rows}


def test_no_module_or_function_too_long_without_a_reason():
    over = too_long()
    listed = allowed()
    unexplained = {place: n for place, n in over.items() if place not in listed}
    assert unexplained == {}, (
        f"over {MODULE_LINES} lines (module) or {FUNCTION_LINES} lines (function), not in docs/architecture.md "
        f"'Size': {unexplained}; split it where a name explains a step, or say there why not"
    )
    assert all(len(reason) > 20 for reason in listed.values()), "every entry of the Size table gives its reason"


def test_the_size_allow_list_only_shrinks():
    """An entry that is no longer too long leaves the table, so the list says what is left to do."""
    over = too_long()
    stale = sorted(place for place in allowed() if place not in over)
    assert stale == [], f"docs/architecture.md 'Size' lists places that are within the limits now: {stale}"
