"""Outbound messages: versioned templates, channel clients (email, Zalo OA/ZNS, SMS, webhooks) and deliveries."""
