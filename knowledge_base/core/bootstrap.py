"""Make a database ready to serve: migrate, seed the curated content, create the first admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Engine

from knowledge_base.conversations.service import purge_old_questions
from knowledge_base.core import migrations
from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import session_scope
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.entries import seed_if_empty
from knowledge_base.outbox.service import forget_old_texts
from knowledge_base.staff.accounts import ensure_bootstrap_admin


@dataclass(frozen=True)
class PreparedDatabase:
    """What start-up did, for the status line."""

    revision: str | None
    migrated: bool
    admin_created: bool
    seeded_entries: int = 0


def prepare_database(settings: Settings, engine: Engine) -> PreparedDatabase:
    """Migrate, seed an empty knowledge base, purge expired questions (and the texts of old
    outbox messages, which quote them), bootstrap the admin."""
    migrated = not migrations.is_up_to_date(engine, settings.database_url)
    if migrated:
        migrations.upgrade(settings.database_url)
    with session_scope(engine) as session:
        seeded = seed_if_empty(session)
        cutoff = utcnow() - timedelta(days=settings.question_retention_days)
        purge_old_questions(session, older_than=cutoff)
        forget_old_texts(session, older_than=cutoff)
    admin_created = False
    if settings.admin_username and settings.admin_password:
        with session_scope(engine) as session:
            admin = ensure_bootstrap_admin(
                session,
                username=settings.admin_username,
                password=settings.admin_password.get_secret_value(),
            )
            admin_created = admin is not None
    return PreparedDatabase(
        revision=migrations.current_revision(engine),
        migrated=migrated,
        admin_created=admin_created,
        seeded_entries=seeded.created if seeded else 0,
    )
