"""The ECAS sync server: a thin Flask front over the case database and the eROP store."""

from sync_server.app import create_app

__all__ = ["create_app"]
