"""The TanyaPemilu domain: storage, content, normalisation and question matching.

This package never imports ``telegram`` or ``fastapi``; the bot and the admin API build on it.
"""
