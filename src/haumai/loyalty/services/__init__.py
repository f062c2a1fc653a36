"""Writes of loyalty: the points ledger (ledger), expiry, clawback, tiers, vouchers, merges."""
