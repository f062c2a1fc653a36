"""Fixtures shared with the segment tests: a small world of customers, products and orders."""

from haumai.segments.tests.conftest import world  # noqa: F401 (fixture)
