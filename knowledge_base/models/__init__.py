"""All tables of the product; importing this package registers them on ``SQLModel.metadata``."""

from knowledge_base.models.announcements import (
    Announcement,
    AnnouncementStatus,
)
from knowledge_base.models.base import UTCDateTime, utcnow
from knowledge_base.models.chats import Chat
from knowledge_base.models.knowledge import (
    EntryStatus,
    KnowledgeBaseState,
    KnowledgeEntry,
    KnowledgeRevision,
)
from knowledge_base.models.questions import (
    Outcome,
    QuestionLog,
    ReplyStatus,
    UnansweredAsker,
    UnansweredQuestion,
    UnansweredStatus,
)
from knowledge_base.models.scheduler import apscheduler_jobs
from knowledge_base.models.staff import AuditLog, StaffRole, StaffUser
from knowledge_base.models.stages import ElectionStage

# The outbox lives in its own domain package; importing it here registers its table too.
import knowledge_base.outbox.models  # noqa: F401  isort: skip

__all__ = [
    "Announcement",
    "AnnouncementStatus",
    "AuditLog",
    "Chat",
    "ElectionStage",
    "EntryStatus",
    "KnowledgeBaseState",
    "KnowledgeEntry",
    "KnowledgeRevision",
    "Outcome",
    "QuestionLog",
    "ReplyStatus",
    "StaffRole",
    "StaffUser",
    "UTCDateTime",
    "UnansweredAsker",
    "UnansweredQuestion",
    "UnansweredStatus",
    "apscheduler_jobs",
    "utcnow",
]
