"""Returns, exchanges and refunds: policies, RMA lifecycle, receiving and restock."""
