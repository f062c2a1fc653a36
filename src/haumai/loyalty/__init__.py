"""Loyalty: points ledger (FIFO, expiry, clawback), tiers, vouchers."""
