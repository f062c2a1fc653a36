"""Writes of support: ingestion of inbound messages, tickets, merges, care scripts, calls and goodwill.

Import the functions from their modules (`services.ingest`, `services.tickets` ...)."""
