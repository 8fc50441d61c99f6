"""common.version: the version the About box and GET /api/version report."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from common import version


def test_the_version_is_pyproject_s() -> None:
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    assert version.DISTRIBUTION == "ecas"
    assert version.ecas_version() == declared


def test_unknown_without_the_package_s_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(version, "DISTRIBUTION", "ecas-not-installed-here")
    assert version.ecas_version() == "unknown"
