"""announcement editors

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("editor_ids", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    # Existing announcements: the author is the only editor we know of.
    announcement = sa.table(
        "announcement", sa.column("author_id", sa.Integer), sa.column("editor_ids", sa.JSON)
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(announcement.c.author_id).where(announcement.c.author_id.is_not(None))
    ).scalars()
    for author_id in set(rows):
        connection.execute(
            announcement.update()
            .where(announcement.c.author_id == author_id)
            .values(editor_ids=[author_id])
        )


def downgrade() -> None:
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.drop_column("editor_ids")
