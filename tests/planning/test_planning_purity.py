"""The planner's cores are pure: they never import Django (STYLE.md, "pure cores")."""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORES = ["bangban.planning.graph", "bangban.planning.conditions", "bangban.planning.scheduler"]
# Modules of bangban a core may import (themselves pure).
ALLOWED_INTERNAL = {"bangban.projects.attributes", *CORES}
FORBIDDEN = {"django", "rest_framework", "celery", "bangban"}


def _imports(module: str) -> set[str]:
    source = (REPO / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: use absolute imports"
            names.add(node.module or "")
    return names


def test_sources_import_no_django():
    pending, seen = list(CORES), set()
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        for name in _imports(module):
            if name.split(".")[0] in FORBIDDEN:
                assert name in ALLOWED_INTERNAL, f"{module} imports {name}"
                pending.append(name)
    assert "bangban.projects.attributes" in seen


def test_cores_load_with_django_blocked():
    # bangban/__init__.py starts Celery (which loads Django), so the package is stubbed here:
    # what is checked is that the core modules themselves need nothing of Django.
    script = textwrap.dedent(
        f"""
        import importlib, sys, types

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("django", "celery", "rest_framework"):
                    raise ImportError("blocked: " + name)
                return None

        sys.meta_path.insert(0, Block())
        package = types.ModuleType("bangban")
        package.__path__ = [{str(REPO / "bangban")!r}]
        sys.modules["bangban"] = package
        for name in {CORES!r}:
            importlib.import_module(name)
        from bangban.planning.conditions import compile_condition
        assert compile_condition("energy_tce >= 1000").evaluate({{"energy_tce": 1200}})
        assert not any(m == "django" or m.startswith("django.") for m in sys.modules)
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
