"""The FastAPI application staff use to follow up questions and curate the knowledge base."""
