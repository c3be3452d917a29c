"""The card of an escalated question in the staff group: its text, its buttons, queueing it (or
an edit of it) in the outbox, and finding the question behind a card someone replied to.

One card per question: the first state is sent, every later state (more askers, assigned,
answered, dismissed) edits the same message. Each state has its own outbox key, so two processes
queueing the same state send it once.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from knowledge_base.conversations.models import Chat
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.outbox.models import OutboxMessage, OutboxPurpose, OutboxRefType
from knowledge_base.outbox.service import NewMessage, enqueue
from knowledge_base.staff.models import StaffUser

CARD_PREFIX = "q"  # callback data: q:<action>:<question id>
_CARD_DATA = re.compile(r"q:(take|dismiss|draft):([1-9][0-9]{0,9})")
MAX_QUESTION_ID = 2**31 - 1
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


class CardAction(StrEnum):
    TAKE = "take"  # Ambil: assign to me
    DISMISS = "dismiss"  # Tolak: asks for the reason
    DRAFT = "draft"  # Jadikan draf: promote the answer to a draft entry


BUTTON_LABELS = {
    CardAction.TAKE: "🙋 Ambil",
    CardAction.DISMISS: "✖️ Tolak",
    CardAction.DRAFT: "📝 Jadikan draf",
}


@dataclass(frozen=True)
class CardTap:
    """A card button: what to do with which question."""

    action: CardAction
    question_id: int


def card_button_data(action: CardAction, question_id: int) -> str:
    return f"{CARD_PREFIX}:{action}:{question_id}"


def parse_card_button(data: str) -> CardTap | None:
    """The tap a card button could have made, else ``None`` (forged or malformed)."""
    found = _CARD_DATA.fullmatch(data)
    if found is None or int(found.group(2)) > MAX_QUESTION_ID:
        return None
    return CardTap(CardAction(found.group(1)), int(found.group(2)))


def card_key(question_id: int) -> str:
    return f"card:q{question_id}"


def _when(moment, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year} {local:%H.%M}"


def card_html(
    question: UnansweredQuestion,
    *,
    zone: ZoneInfo,
    category: str | None = None,
    assignee: StaffUser | None = None,
    closer: StaffUser | None = None,
) -> str:
    """The card's Telegram HTML for the question as it stands now."""
    lines = [
        f"<b>Pertanyaan warga #{question.id}</b>",
        f"<i>{html.escape(question.masked_text, quote=False)}</i>",
        f"Ditanyakan oleh {question.ask_count} warga",
    ]
    if category:
        lines.append(f"Perkiraan topik: {html.escape(category, quote=False)}")
    if question.due_at is not None:
        lines.append(f"Tenggat: {_when(question.due_at, zone)}")
    if assignee is not None:
        lines.append(f"Ditangani: {html.escape(_name(assignee), quote=False)}")
    if question.status == UnansweredStatus.ANSWERED:
        when = _when(question.answered_at, zone) if question.answered_at else ""
        lines.append(f"✅ Dijawab oleh {html.escape(_name(closer), quote=False)} {when}".rstrip())
    elif question.status == UnansweredStatus.DISMISSED:
        reason = html.escape(question.dismiss_reason or "", quote=False)
        lines.append(f"✖️ Ditolak oleh {html.escape(_name(closer), quote=False)}: {reason}")
    else:
        lines.append("Balas pesan ini untuk menjawab semua warga yang bertanya.")
    return "\n".join(lines)


def _name(staff: StaffUser | None) -> str:
    if staff is None:
        return "petugas"
    return staff.full_name or staff.username


def card_buttons(question: UnansweredQuestion) -> list[list[list[str]]] | None:
    """Take and dismiss while open; promote once answered (and not promoted yet)."""
    if question.status == UnansweredStatus.OPEN:
        actions = [CardAction.TAKE, CardAction.DISMISS]
    elif question.status == UnansweredStatus.ANSWERED and question.promoted_entry_id is None:
        actions = [CardAction.DRAFT]
    else:
        return None
    return [[[BUTTON_LABELS[a], card_button_data(a, question.id)] for a in actions]]


def queue_card(
    session: Session,
    question: UnansweredQuestion,
    *,
    group: Chat,
    zone: ZoneInfo,
    category: str | None = None,
) -> bool:
    """Queue the card for the question's current state: the first one is sent, later ones edit
    it. Returns whether a new state was queued (the same state twice queues nothing)."""
    assignee = session.get(StaffUser, question.assigned_to_id) if question.assigned_to_id else None
    closer = session.get(StaffUser, question.answered_by_id) if question.answered_by_id else None
    text = card_html(question, zone=zone, category=category, assignee=assignee, closer=closer)
    original = card_key(question.id)
    first = not _card_queued(session, question.id)
    state = (
        f"{question.ask_count}:{question.status}:{question.assigned_to_id or 0}:"
        f"{question.promoted_entry_id or 0}"
    )
    message = NewMessage(
        key=original if first else f"{original}:{state}",
        purpose=OutboxPurpose.STAFF_CARD,
        chat_id=group.id,
        html=text,
        ref_type=OutboxRefType.STAFF_CARD,
        ref_id=question.id,
        buttons=card_buttons(question),
        edit_key=None if first else original,
    )
    return enqueue(session, messages=[message]) == 1


def _card_queued(session: Session, question_id: int) -> bool:
    found = session.exec(
        select(OutboxMessage.id).where(OutboxMessage.key == card_key(question_id))
    ).first()
    return found is not None


def question_of_card(
    session: Session, *, group_telegram_chat_id: int, message_id: int
) -> UnansweredQuestion | None:
    """The question whose card is the Telegram message ``message_id`` in the staff group."""
    question_id = session.exec(
        select(OutboxMessage.ref_id)
        .join(Chat, Chat.id == OutboxMessage.chat_id)
        .where(
            OutboxMessage.purpose == OutboxPurpose.STAFF_CARD,
            OutboxMessage.telegram_message_id == message_id,
            Chat.telegram_chat_id == group_telegram_chat_id,
            col(OutboxMessage.edit_key).is_(None),
        )
    ).first()
    return session.get(UnansweredQuestion, question_id) if question_id else None
