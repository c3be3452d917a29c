"""The Telegram front of TanyaPemilu and the ``tanyapemilu`` command line."""
