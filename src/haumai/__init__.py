"""Haumai: open-source after-sales service platform (hậu mãi)."""

__version__ = "0.1.0"
