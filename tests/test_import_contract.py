"""The tree is the architecture: each part imports only downward, and there are no circles.

Layers, from the bottom: the base modules (paths, errors, settings, fileio, quick_pickle, ...), then
`content`, then `history`, then `session`, then `ui` and `cli`. Every import counts, the
ones inside functions and under TYPE_CHECKING too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "hipmob_tui"

FORBIDDEN: dict[str, tuple[str, ...]] = {
    "base": ("content", "history", "session", "ui", "cli"),
    "content": ("history", "session", "ui", "cli"),
    "history": ("session", "ui", "cli"),
    "session": ("ui", "cli"),
    "ui": ("cli",),
    "cli": (),
}
"""For each part, the parts it must not import."""

UI_TOOLKITS = ("textual", "rich")
ALLOWED_TOOLKIT_PARTS = ("ui", "cli")
"""Only these parts may import Textual or Rich (cli only to start the app, inside a function)."""


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package under `root`, by dotted name."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def part_of(module: str) -> str:
    """`content`, `history`, ... for a module in a folder; `base` for a top-level one."""
    pieces = module.split(".")
    if pieces[1:] == ["__main__"]:
        return "cli"  # `python -m hipmob_tui` is the command line
    return pieces[1] if len(pieces) > 2 or (len(pieces) == 2 and pieces[1] in FORBIDDEN) else "base"


def imports_of(path: Path, module: str) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import in a file, lazy ones included."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            yield node.lineno, base
            for alias in node.names:  # `from pkg import module` imports that module
                yield node.lineno, f"{base}.{alias.name}"


def import_graph(root: Path) -> dict[str, set[str]]:
    """Which of the package's modules each module imports."""
    known = modules(root)
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for _, target in imports_of(path, name):
            if target in known and target != name:
                graph[name].add(target)
    return graph


def violations(root: Path) -> list[str]:
    """Every import that breaks the layering, as `file:line: what`."""
    found: list[str] = []
    package = root.name
    for name, path in modules(root).items():
        part = part_of(name)
        for line, target in imports_of(path, name):
            top = target.split(".")[0]
            where = f"{path.relative_to(root.parent)}:{line}"
            if top in UI_TOOLKITS and part not in ALLOWED_TOOLKIT_PARTS:
                found.append(f"{where}: {part} imports {top}")
            if top == package and target != package:
                target_part = part_of(target)
                if target_part in FORBIDDEN[part]:
                    found.append(f"{where}: {part} imports {target_part} ({target})")
    return sorted(set(found))


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles (strongly connected groups of two or more), by Tarjan's method."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def without_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph less `from pkg import module` edges to a package's (empty) __init__."""
    packages = {name for name in graph if (PACKAGE.parent / name.replace(".", "/")).is_dir()}
    return {name: targets - packages for name, targets in graph.items()}


def test_every_part_imports_only_downward() -> None:
    assert violations(PACKAGE) == []


def test_there_are_no_import_circles() -> None:
    assert circles(without_packages(import_graph(PACKAGE))) == []


def test_the_tree_has_a_folder_per_part() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == {"cli", "content", "history", "session", "ui"}


def test_screens_do_not_import_each_other() -> None:
    screens = {n for n in modules(PACKAGE) if n.startswith("hipmob_tui.ui.screens.")}
    graph = import_graph(PACKAGE)
    crossings = {(n, t) for n in screens for t in graph[n] if t in screens}
    assert crossings == set()


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "hipmob_tui"
    for relative, text in files.items():
        path = package / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"content/__init__.py": "", "content/models.py": "import textual\n"},
            "hipmob_tui/content/models.py:1: content imports textual",
        ),
        (
            {"history/__init__.py": "", "history/store.py": "def f():\n    from rich import x\n"},
            "hipmob_tui/history/store.py:2: history imports rich",
        ),
        (
            {"paths.py": "TYPE_CHECKING = False\nif TYPE_CHECKING:\n    import textual.app\n"},
            "hipmob_tui/paths.py:3: base imports textual",
        ),
        (
            {"content/__init__.py": "", "content/x.py": "from hipmob_tui.history import y\n"},
            "hipmob_tui/content/x.py:1: content imports history (hipmob_tui.history)",
        ),
        (
            {"history/__init__.py": "", "history/x.py": "from ..session.engine import E\n"},
            "hipmob_tui/history/x.py:1: history imports session (hipmob_tui.session.engine)",
        ),
    ],
)
def test_the_contract_catches_a_wrong_import(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    """The check is real: a domain module that imports the UI or a part above it fails it."""
    package = write_package(tmp_path, {"__init__.py": "", **files})
    assert expected in violations(package)


def test_the_circle_check_finds_a_circle(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "content/__init__.py": "",
            "content/a.py": "from hipmob_tui.content.b import x\n",
            "content/b.py": "def f():\n    from hipmob_tui.content import a\n",
        },
    )
    assert circles(import_graph(package)) == [["hipmob_tui.content.a", "hipmob_tui.content.b"]]


def test_the_domain_never_loads_textual_at_run_time() -> None:
    """Every module outside ui/ and cli/, imported in a fresh interpreter, leaves the UI out."""
    domain = [n for n in modules(PACKAGE) if part_of(n) not in ALLOWED_TOOLKIT_PARTS]
    domain.append("hipmob_tui.cli.main")  # the CLI starts the app lazily
    assert len(domain) > 25
    imports = "; ".join(f"import {name}" for name in domain)
    code = f"{imports}; import sys; print([m for m in ('textual', 'rich') if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
