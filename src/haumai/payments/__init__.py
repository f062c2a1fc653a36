"""Payments on orders and refunds through VNPay, MoMo, bank transfer, cash and store credit."""
