"""candidate phrasings

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 18:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import knowledge_base.core.columns

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = knowledge_base.core.columns.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "candidate_phrasing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_key", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("times_seen", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("last_seen_at", UTC, nullable=False),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["staff_user.id"],
            name=op.f("fk_candidate_phrasing_decided_by_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["kb_entry.id"],
            name=op.f("fk_candidate_phrasing_entry_id_kb_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_phrasing")),
        sa.UniqueConstraint(
            "entry_id", "text_key", name=op.f("uq_candidate_phrasing_entry_id_text_key")
        ),
    )
    with op.batch_alter_table("candidate_phrasing", schema=None) as batch_op:
        batch_op.create_index(
            "ix_candidate_phrasing_status_times_seen", ["status", "times_seen"], unique=False
        )
    op.create_table(
        "candidate_sighting",
        sa.Column("question_log_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("seen_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate_phrasing.id"],
            name=op.f("fk_candidate_sighting_candidate_id_candidate_phrasing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_log_id"],
            ["question_log.id"],
            name=op.f("fk_candidate_sighting_question_log_id_question_log"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("question_log_id", name=op.f("pk_candidate_sighting")),
    )
    with op.batch_alter_table("candidate_sighting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_sighting_candidate_id"), ["candidate_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("candidate_sighting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_sighting_candidate_id"))
    op.drop_table("candidate_sighting")
    with op.batch_alter_table("candidate_phrasing", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_phrasing_status_times_seen")
    op.drop_table("candidate_phrasing")
