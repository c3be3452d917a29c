"""The composition root: builds the fronts (the Telegram bot, the staff API) over the domain,
runs them together in one process, and holds the ``tanyapemilu`` command line."""
