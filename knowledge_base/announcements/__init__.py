"""Announcements: when they go out, the four-eyes workflow and their text (``workflow``),
writing and checking drafts (``drafting``; ``composing`` reads them from a form's fields),
what staff see and approve (``listing``), Telegram-HTML validation and preview
(``telegram_html``) and delivery through the outbox (``delivery``)."""
