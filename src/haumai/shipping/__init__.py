"""Shipments and carrier adapters (GHN, GHTK, Viettel Post, J&T, Ninja Van, own fleet, drop-off)."""
