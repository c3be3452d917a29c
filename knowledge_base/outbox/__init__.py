"""The one outbox: every message the product sends on its own initiative.

Staff answers and dismissal notices to every asker, announcement broadcasts (and later
staff-group notifications) are written here as ``outbox_message`` rows in the same short
transaction as the change that caused them, then delivered by one sender. A row may carry
inline buttons, or edit the message another row sent (``edit_key``: a staff-group card whose
count changed).

- ``models.py``: the table, its statuses and purposes.
- ``service.py``: plain functions on it (enqueue idempotently, claim due rows atomically,
  record outcomes, requeue rows of a crashed sender, delivery reports).
- ``control.py``: staff control: cancel what has not gone out yet, reopen cancelled or failed
  rows.
- ``transport.py``: what the sender needs from a messaging channel (Telegram implements it in
  ``bot/outbox_transport.py``).
- ``policy.py``: rates, attempts, backoff, workers and the lease (``OutboxPolicy``).
- ``pacing.py``: the global and per-chat rate limits and the 429 pause.
- ``recording.py``: the status change (and log line) for each outcome Telegram gives.
- ``flows.py``: ``OutboxSender``, the async loop that claims, paces, sends and records.
"""
