"""the one outbox

Every message the product sends on its own goes through ``outbox_message``. Announcement
delivery rows and the per-asker reply status move there (copied, then dropped); announcements
remember the occurrence being delivered.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 07:00:00
"""

import html
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import knowledge_base.core.columns

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = knowledge_base.core.columns.UTCDateTime(timezone=True)
FINAL = ("sent", "failed", "blocked")

COPIED = (
    "key",
    "purpose",
    "ref_type",
    "ref_id",
    "occurrence",
    "chat_id",
    "html",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "telegram_message_id",
    "created_at",
    "sent_at",
)
DELIVERY = (
    "announcement_id",
    "occurrence",
    "chat_id",
    "status",
    "attempts",
    "last_error",
    "telegram_message_id",
    "created_at",
    "sent_at",
)
outbox = sa.table("outbox_message", sa.column("id"), *map(sa.column, COPIED))
delivery = sa.table("announcement_delivery", *map(sa.column, DELIVERY))
asker = sa.table(
    "unanswered_asker",
    *map(
        sa.column,
        ("question_id", "chat_id", "asked_at", "reply_status", "reply_error", "replied_at"),
    ),
)
announcement = sa.table(
    "announcement",
    sa.column("id"),
    sa.column("title"),
    sa.column("body"),
    sa.column("current_occurrence"),
)


def _text(value: object) -> sa.ColumnElement:
    return sa.cast(value, sa.String)


def upgrade() -> None:
    _create_outbox()
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("current_occurrence", sa.Integer(), nullable=True))
    _copy_deliveries_to_outbox()
    _copy_replies_to_outbox()
    with op.batch_alter_table("announcement_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_announcement_delivery_status"))
        batch_op.drop_index(batch_op.f("ix_announcement_delivery_chat_id"))
        batch_op.drop_index(batch_op.f("ix_announcement_delivery_announcement_id"))
    op.drop_table("announcement_delivery")
    with op.batch_alter_table("unanswered_asker", schema=None) as batch_op:
        batch_op.drop_column("replied_at")
        batch_op.drop_column("reply_error")
        batch_op.drop_column("reply_status")


def _create_outbox() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("purpose", sa.String(length=24), nullable=False),
        sa.Column("ref_type", sa.String(length=24), nullable=True),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC, nullable=False),
        sa.Column("claimed_at", UTC, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chat.id"],
            name=op.f("fk_outbox_message_chat_id_chat"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_message_key")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_message_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(
            "ix_outbox_message_status_next_attempt_at", ["status", "next_attempt_at"]
        )
        batch_op.create_index("ix_outbox_message_status_claimed_at", ["status", "claimed_at"])
        batch_op.create_index("ix_outbox_message_ref", ["ref_type", "ref_id", "occurrence"])


def _copy_deliveries_to_outbox() -> None:
    d = delivery.c
    key = (
        sa.literal("announcement:")
        + _text(d.announcement_id)
        + sa.literal(":")
        + _text(d.occurrence)
        + sa.literal(":chat")
        + _text(d.chat_id)
    )
    rows = sa.select(
        key,
        sa.literal("announcement"),
        sa.literal("announcement"),
        d.announcement_id,
        d.occurrence,
        d.chat_id,
        sa.literal(""),
        d.status,
        d.attempts,
        d.created_at,
        d.last_error,
        d.telegram_message_id,
        d.created_at,
        d.sent_at,
    )
    columns = list(COPIED)
    connection = op.get_bind()
    connection.execute(outbox.insert().from_select(columns, rows))
    # Rows not yet sent still need their text (title escaped as the sender wrote it).
    items = sa.select(announcement.c.id, announcement.c.title, announcement.c.body)
    for item in connection.execute(items).all():
        text = f"<b>{html.escape(item.title, quote=False)}</b>\n\n{item.body}"
        connection.execute(
            outbox.update()
            .where(outbox.c.ref_type == "announcement", outbox.c.ref_id == item.id)
            .values(html=text)
        )
        last = connection.execute(
            sa.select(sa.func.max(d.occurrence)).where(d.announcement_id == item.id)
        ).scalar()
        connection.execute(
            announcement.update()
            .where(announcement.c.id == item.id)
            .values(current_occurrence=last)
        )


def _copy_replies_to_outbox() -> None:
    a = asker.c
    key = sa.literal("answer:q") + _text(a.question_id) + sa.literal(":chat") + _text(a.chat_id)
    at = sa.func.coalesce(a.replied_at, a.asked_at)
    rows = sa.select(
        key,
        sa.literal("answer"),
        sa.literal("question"),
        a.question_id,
        sa.literal(0),
        a.chat_id,
        sa.literal(""),
        a.reply_status,
        sa.literal(1),
        at,
        a.reply_error,
        at,
        a.replied_at,
    ).where(a.reply_status.in_(FINAL))
    columns = [c for c in COPIED if c != "telegram_message_id"]
    op.get_bind().execute(outbox.insert().from_select(columns, rows))


def downgrade() -> None:
    # First: on SQLite dropping a column rebuilds the table, and dropping the old copy would
    # cascade-delete the delivery rows referencing it.
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.drop_column("current_occurrence")
    _recreate_deliveries()
    with op.batch_alter_table("unanswered_asker", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "reply_status", sa.String(length=16), nullable=False, server_default="pending"
            )
        )
        batch_op.add_column(sa.Column("reply_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("replied_at", UTC, nullable=True))
    with op.batch_alter_table("unanswered_asker", schema=None) as batch_op:
        batch_op.alter_column("reply_status", server_default=None)
    _copy_outbox_back()
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_ref")
        batch_op.drop_index("ix_outbox_message_status_claimed_at")
        batch_op.drop_index("ix_outbox_message_status_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_outbox_message_chat_id"))
    op.drop_table("outbox_message")


def _recreate_deliveries() -> None:
    op.create_table(
        "announcement_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["announcement_id"],
            ["announcement.id"],
            name=op.f("fk_announcement_delivery_announcement_id_announcement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chat.id"],
            name=op.f("fk_announcement_delivery_chat_id_chat"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcement_delivery")),
        sa.UniqueConstraint(
            "announcement_id",
            "occurrence",
            "chat_id",
            name=op.f("uq_announcement_delivery_announcement_id_occurrence_chat_id"),
        ),
    )
    with op.batch_alter_table("announcement_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_announcement_delivery_announcement_id"), ["announcement_id"]
        )
        batch_op.create_index(batch_op.f("ix_announcement_delivery_chat_id"), ["chat_id"])
        batch_op.create_index(batch_op.f("ix_announcement_delivery_status"), ["status"])


def _copy_outbox_back() -> None:
    o = outbox.c
    status = sa.case((o.status == "sending", "pending"), else_=o.status)
    announcements = sa.select(
        o.ref_id,
        o.occurrence,
        o.chat_id,
        status,
        o.attempts,
        o.last_error,
        o.telegram_message_id,
        o.created_at,
        o.sent_at,
    ).where(o.ref_type == "announcement", o.ref_id.in_(sa.select(announcement.c.id)))
    connection = op.get_bind()
    connection.execute(
        delivery.insert().from_select(
            list(DELIVERY),
            announcements,
        )
    )
    mine = (
        (o.ref_type == "question")
        & (o.ref_id == asker.c.question_id)
        & (o.chat_id == asker.c.chat_id)
    )

    def latest(column: sa.ColumnElement) -> sa.ScalarSelect:
        return sa.select(column).where(mine).order_by(o.id.desc()).limit(1).scalar_subquery()

    connection.execute(
        asker.update().values(
            reply_status=sa.func.coalesce(latest(status), "pending"),
            reply_error=latest(o.last_error),
            replied_at=latest(o.sent_at),
        )
    )
