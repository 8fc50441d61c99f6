"""The order tests use the desktop fixtures (a demo server, filled local stores, an
offline Qt context) as well as the server ones from the root conftest."""

from tests.desktop.conftest import (  # noqa: F401  (fixtures, found by name)
    desktop_server,
    filled_store,
    make_context,
    settings,
)
