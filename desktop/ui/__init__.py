"""Widgets. They never run SQL or HTTP: they call services, which answer by signal."""
