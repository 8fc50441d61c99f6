"""Synthetic demo data for the seed-demo command (fictional people, generated documents)."""
