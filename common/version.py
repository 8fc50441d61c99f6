"""This installation's ECAS version: the one in ``pyproject.toml``, read from the installed
package's metadata (the frozen client carries that metadata too: see the PyInstaller spec).
The desktop's About box shows it, and the server's ``GET /api/version`` answers it."""

from __future__ import annotations

from importlib import metadata

DISTRIBUTION = "ecas"


def ecas_version() -> str:
    """ "0.1.0", or "unknown" when the package's metadata is missing (a bare source tree)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"
