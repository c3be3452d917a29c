"""Every table of the product: importing this module registers them all on ``SQLModel.metadata``.

Each concept keeps its own tables in its ``models.py``; Alembic and the schema tests need the
whole picture at once, and this is the one place that gathers it.
"""

from sqlmodel import SQLModel

import knowledge_base.announcements.models
import knowledge_base.conversations.models
import knowledge_base.core.scheduler_jobs
import knowledge_base.followup.models
import knowledge_base.knowledge.models
import knowledge_base.learning.models
import knowledge_base.outbox.models
import knowledge_base.staff.models
import knowledge_base.staffgroup.models  # noqa: F401

metadata = SQLModel.metadata
