"""The pure cores load without Django: imported in a fresh interpreter, `bangban.rules` and
every module in it leave django, rest_framework and celery out of sys.modules (import-linter's
forbidden contract checks the source; this checks what really gets loaded, including
`bangban/__init__.py`)."""

import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import bangban.rules

REPO = Path(__file__).resolve().parents[2]
MODULES = sorted(
    f"bangban.rules.{info.name}" for info in pkgutil.iter_modules(bangban.rules.__path__)
)


def test_the_rules_package_has_the_cores():
    assert {"bangban.rules.workdays", "bangban.rules.conditions", "bangban.rules.scheduler"} <= set(
        MODULES
    )


def test_importing_every_core_loads_no_django():
    script = textwrap.dedent(
        f"""
        import importlib, sys
        for name in {MODULES!r}:
            importlib.import_module(name)
        from bangban.rules.conditions import compile_condition
        assert compile_condition("energy_tce >= 1000").evaluate({{"energy_tce": 1200}})
        loaded = sorted(
            m for m in sys.modules if m.split(".")[0] in ("django", "rest_framework", "celery")
        )
        print(",".join(loaded) or "clean")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "clean"
