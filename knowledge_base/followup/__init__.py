"""Follow-up of unanswered questions by staff: listing, answering, dismissing, merging, assigning, promoting into the knowledge base."""
