"""four-eyes entry publishing, staff Telegram accounts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import knowledge_base.core.columns

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = knowledge_base.core.columns.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("kb_entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("editor_ids", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("published_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_kb_entry_published_by_id_staff_user"),
            "staff_user",
            ["published_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("telegram_user_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("telegram_link_code_hash", sa.String(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("telegram_link_expires_at", UTC, nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_staff_user_telegram_user_id"), ["telegram_user_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_staff_user_telegram_user_id"), type_="unique")
        batch_op.drop_column("telegram_link_expires_at")
        batch_op.drop_column("telegram_link_code_hash")
        batch_op.drop_column("telegram_user_id")
    with op.batch_alter_table("kb_entry", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_kb_entry_published_by_id_staff_user"), type_="foreignkey"
        )
        batch_op.drop_column("published_by_id")
        batch_op.drop_column("editor_ids")
