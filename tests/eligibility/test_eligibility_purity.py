"""The screening core is pure: it imports nothing of Django or of bangban (STYLE.md)."""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "bangban" / "eligibility" / "screening.py"


def test_the_core_imports_only_the_standard_library():
    names = set()
    for node in ast.walk(ast.parse(CORE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").split(".")[0])
    assert names <= {"__future__", "datetime", "unicodedata", "collections", "dataclasses"}


def test_the_core_loads_with_django_blocked():
    script = textwrap.dedent(
        f"""
        import importlib.util, sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("django", "celery", "rest_framework", "bangban"):
                    raise ImportError("blocked: " + name)
                return None

        sys.meta_path.insert(0, Block())
        spec = importlib.util.spec_from_file_location("screening", {str(CORE)!r})
        core = importlib.util.module_from_spec(spec)
        sys.modules["screening"] = core
        spec.loader.exec_module(core)
        result = core.screen(core.ProjectFacts("C3140"), [
            core.Entry("a", core.REGIONAL, core.PROHIBIT, "铁合金", industry_codes=("C3140",))
        ])
        assert result.outcome == core.REFUSED
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
