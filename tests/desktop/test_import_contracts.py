"""The import-linter contracts in pyproject.toml bite: a widget module that imports SQLite,
SQLAlchemy, requests or the HTTP client makes ``lint-imports`` (and so ``make lint``) fail.

Each case copies the three packages and pyproject.toml into a temporary folder, adds one
offending widget module there and runs the real ``lint-imports`` on the copy; the working
tree itself is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT = "widgets import no storage and no network"


def _copy_tree(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("common", "sync_server", "desktop"):
        shutil.copytree(REPO / package, dest / package, ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", dest / "pyproject.toml")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy, not the installed tree
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_tree_as_it_is_keeps_every_contract(tmp_path: Path) -> None:
    _copy_tree(tmp_path)
    run = _lint_imports(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{CONTRACT} KEPT" in run.stdout


@pytest.mark.parametrize(
    ("module", "line", "imported"),
    [
        ("desktop/ui/probe_widget.py", "import sqlite3\n", "sqlite3"),
        ("desktop/ui/probe_widget.py", "import requests\n", "requests"),
        ("desktop/viewer/probe_widget.py", "from sqlalchemy import select\n", "sqlalchemy"),
        (
            "desktop/viewer/probe_widget.py",
            "from desktop.api_client import ApiClient\n",
            "desktop.api_client",
        ),
    ],
)
def test_a_widget_importing_storage_or_network_breaks_the_contract(
    tmp_path: Path, module: str, line: str, imported: str
) -> None:
    _copy_tree(tmp_path)
    (tmp_path / module).write_text(f'"""A widget that breaks the rule."""\n\n{line}')
    run = _lint_imports(tmp_path)
    assert run.returncode != 0
    assert f"{CONTRACT} BROKEN" in run.stdout
    importer = module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {imported}" in run.stdout, run.stdout
