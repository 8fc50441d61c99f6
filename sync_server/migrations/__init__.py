"""Alembic migrations of the server's database (run by ``ecas-server init-db``)."""
