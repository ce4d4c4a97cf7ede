"""The package's shape: one-way layers, no import cycles (imports inside functions count), small modules."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "bookpress"
LINT = Path(sys.executable).with_name("lint-imports")


def lint(repo: Path) -> subprocess.CompletedProcess:
    """import-linter over the `bookpress` package found in `repo`, with repo's pyproject.toml contracts."""
    env = {"PYTHONPATH": str(repo), "PATH": str(Path(sys.executable).parent)}
    return subprocess.run([str(LINT), "--config", str(repo / "pyproject.toml"), "--no-cache"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_layers_and_the_no_cycle_contracts_are_kept():
    done = lint(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


@pytest.mark.parametrize("module, added, broken", [
    # preflight once called the pipeline to build what it checks: a cycle and an upward import
    ("preflight/book_checks.py", "    from ..pipeline import compile_book  # noqa\n", "one-way pipeline"),
    # two modules of one stage importing each other, the second one only inside a function
    ("render/standins.py", "    from .draw import draw_pdf  # noqa\n", "No import cycles"),
])
def test_the_contracts_fail_when_a_cycle_is_added(tmp_path, module, added, broken):
    copy = tmp_path / "repo"
    shutil.copytree(PACKAGE, copy / "bookpress", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    path = copy / "bookpress" / module
    text = path.read_text(encoding="utf-8")
    first_def = text.index("\ndef ") + 1
    body = text.index(":\n", first_def) + 2  # inside the first function: an import made only when it runs
    path.write_text(text[:body] + added + text[body:], encoding="utf-8")
    done = lint(copy)
    assert done.returncode != 0
    assert f"{broken}" in done.stdout and "BROKEN" in done.stdout


def test_no_module_is_longer_than_one_can_read_at_once():
    long = {str(p.relative_to(REPO)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}


def test_the_root_holds_only_the_app_layer_and_the_shared_types():
    modules = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__"))
    assert len(modules) <= 10, modules
    stages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert stages == ["fonts", "images", "layout", "load", "preflight", "press", "products", "render"]
