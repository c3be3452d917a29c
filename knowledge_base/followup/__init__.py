"""Follow-up of unanswered questions by staff: listing and who asked (``inbox.py``), answering,
dismissing and merging (``service.py``), assigning (``assignment.py``), promoting into the
knowledge base (``promotion.py``)."""
