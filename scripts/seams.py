"""Code-seam figures for a kinechain source tree: largest modules, import cycles, ``Any`` counts.

Usage: ``python scripts/seams.py [SRC]`` (default ``src``). Reads the files with :mod:`ast`;
imports nothing of the project. Cycles are strongly connected components (more than one
module) of the module import graph, counting every import, including ones inside functions
and under ``TYPE_CHECKING`` (lazy imports hide a circle, they do not remove it).
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path


def _modules(src: Path) -> dict[str, Path]:
    out = {}
    for path in sorted(src.rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base]).strip(".")
            targets = [*(f"{base}.{a.name}" for a in node.names), base]
        else:
            continue
        for dotted in targets:
            target = dotted
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            visit(v)
    return out


def main(src: Path) -> None:
    """Print the figures for the package tree under ``src``."""
    mods = _modules(src)
    known = set(mods)
    # a package __init__ re-exporting from its submodules is not a circle of interest
    graph = {m: {t for t in _imports(m, p, known) if not t.startswith(m + ".")} for m, p in mods.items()}
    sizes = sorted(((len(p.read_text().splitlines()), m) for m, p in mods.items()), reverse=True)
    print("largest modules (lines):")
    for n, m in sizes[:10]:
        print(f"  {n:5d} {m}")
    print(f"modules over 500 lines: {sum(n > 500 for n, _ in sizes)}")
    cycles = _cycles(graph)
    print(f"import cycles: {len(cycles)}")
    for c in cycles:
        print("  " + " <-> ".join(c))
    anys: Counter[str] = Counter()
    for m, p in mods.items():
        pkg = m.split(".")[1] if m.count(".") >= 1 and (src / Path(*m.split(".")[:2])).is_dir() else "(top)"
        anys[pkg] += len(re.findall(r"\bAny\b", p.read_text()))
    per = ", ".join(f"{k} {v}" for k, v in anys.most_common() if v)
    print(f"'Any' mentions: {sum(anys.values())}  {per}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "src"))
