"""The house's shape: imports inside `recommender/` run one way, and only the web layer knows Flask.

The layers, from the bottom: the model; loading and the engine, each on the model alone; the
checking tools beside the engine; FHIR, a translation of the model; the service, the one door
into all of that; the command line and the web app at the top. Every import counts, including
those inside functions and under TYPE_CHECKING, so a layer cannot be crossed quietly.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import PROJECT

PACKAGE = PROJECT / "recommender"

# What each layer may import besides itself.
MAY_IMPORT: dict[str, set[str]] = {
    "model": set(),
    "loading": {"model"},
    "engine": {"model"},
    "drawing": {"model"},  # figures: poses to body points to SVG
    "checking": {"model", "loading", "engine", "drawing"},
    "fhir": {"model"},
    "service": {"model", "loading", "engine", "checking", "drawing"},
    "cli": {"model", "checking", "service"},
    # The web layer reaches the engine only through the service: one door, whose caches it owns.
    "web": {"model", "fhir", "service", "drawing"},
    "__init__": {"web", "service"},  # the lazy `create_app` for gunicorn, `open_service` for programs
}
WEB_FRAMEWORKS = ("flask", "flask_compress", "flask_cors", "flask_babel", "babel", "werkzeug", "wtforms",
                  "itsdangerous", "cryptography", "weasyprint")


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path) for path in PACKAGE.rglob("*.py")}


def imports_of(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: write imports in full (a relative import hides its layer)"
            base = node.module or ""
            for alias in node.names:
                # `from recommender.web.api import plan` uses the module recommender.web.api.plan, not
                # what recommender/web/__init__.py defines.
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in MODULES else base


def import_graph() -> dict[str, set[str]]:
    return {module_name(path): {found for found in imports_of(path) if found in MODULES
                                and found != module_name(path)}
            for path in PACKAGE.rglob("*.py")}


def layer_of(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each found once from its first module in a depth-first walk."""
    found: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                found.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_the_package_imports_in_no_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_each_layer_imports_only_the_layers_below_it() -> None:
    crossings = sorted(f"{module} imports {target}"
                       for module, targets in import_graph().items() for target in targets
                       if layer_of(target) != layer_of(module)
                       and layer_of(target) not in MAY_IMPORT[layer_of(module)])
    assert crossings == []


def test_every_layer_is_named_in_the_rules_above() -> None:
    assert {layer_of(module) for module in import_graph()} <= set(MAY_IMPORT)


def test_only_the_web_layer_imports_a_web_framework() -> None:
    outside = sorted(f"{module_name(path)} imports {found}"
                     for path in PACKAGE.rglob("*.py") if layer_of(module_name(path)) != "web"
                     for found in imports_of(path) if found.split(".")[0] in WEB_FRAMEWORKS)
    assert outside == []


def test_no_blueprint_imports_another() -> None:
    graph = import_graph()
    blueprints = {module_name(path) for path in (PACKAGE / "web").rglob("*.py")
                  if "\nbp = Blueprint(" in path.read_text(encoding="utf-8")}
    assert len(blueprints) >= 6
    assert sorted(f"{module} imports {target}" for module in blueprints
                  for target in graph[module] if target in blueprints) == []


def test_the_web_layer_is_grouped_into_a_few_parts_a_reader_can_see() -> None:
    # app and settings, pages, the API and FHIR, PDFs: only create_app lives at the top.
    parts = sorted(path.name for path in (PACKAGE / "web").iterdir() if path.is_dir() and path.name != "__pycache__")
    loose = sorted(path.name for path in (PACKAGE / "web").glob("*.py") if path.name != "__init__.py")
    assert (parts, loose) == (["api", "app", "pages", "pdf"], [])


def test_the_web_layer_is_reached_only_through_the_lazy_create_app() -> None:
    # Importing the core must not drag Flask in: `recommender/__init__.py` defers it.
    init = PACKAGE / "__init__.py"
    top_level = [node for node in ast.parse(init.read_text()).body if isinstance(node, ast.Import | ast.ImportFrom)]
    assert all("web" not in (getattr(node, "module", "") or "") for node in top_level)
