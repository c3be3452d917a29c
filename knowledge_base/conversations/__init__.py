"""A citizen's conversation: chats, the question log, escalation, subscriptions, blocked chats, erasure and retention."""
