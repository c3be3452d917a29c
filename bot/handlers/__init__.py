"""Telegram handlers, one module per conversation area."""
