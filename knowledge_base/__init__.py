"""The TanyaPemilu domain, one subpackage per concept: ``core`` (settings, database,
migrations), ``answering`` (masking, normalising, matching, the engine), ``knowledge``
(entries, stages, content files, office data), ``conversations``, ``followup``,
``announcements``, ``outbox``, ``staff`` and ``reporting``; each keeps its tables
in its own ``models.py``, and ``tables`` gathers them all for Alembic.

This package never imports ``telegram`` or ``fastapi``; the bot and the admin API build on it.
"""
