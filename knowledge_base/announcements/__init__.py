"""Announcements: when they go out, the four-eyes workflow, their text, and their delivery through the outbox."""
