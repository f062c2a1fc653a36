"""Bulk import of customers, products and orders from CSV and XLSX files."""
