"""Reproducible synthetic demo data: organisations, workforce, equality records and one login per persona."""
