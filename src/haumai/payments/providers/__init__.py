"""Clients of payment providers' refund and query APIs (VNPay merchant_webapi, MoMo AIO v2)."""
