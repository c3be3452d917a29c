"""The knowledge base itself: entries and their revisions, stages, the curated content files and their validation, the office's own data."""
