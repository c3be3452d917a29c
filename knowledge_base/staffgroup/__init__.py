"""Staff working from Telegram: the staff group the office chose, the card posted there for
each escalated question (edited, never re-posted, as more citizens ask), the card's buttons, and
finding the question a staff member replied to. Cards go out through the outbox."""
