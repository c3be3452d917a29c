"""Private Telegram notices to staff who linked their account, through the outbox: a question
assigned to them by a colleague, an announcement waiting for their approval."""

from __future__ import annotations

import html

from sqlmodel import Session

from knowledge_base.conversations.service import touch_chat
from knowledge_base.outbox.models import OutboxPurpose
from knowledge_base.outbox.service import NewMessage, enqueue
from knowledge_base.staff.models import StaffUser

ASSIGNED = (
    "<b>Pertanyaan #{question_id}</b> diserahkan kepada Anda oleh {by}:\n<i>{question}</i>\n"
    "Buka Kotak masuk di konsol staf untuk menjawabnya."
)
AWAITING_APPROVAL = (
    "<b>Pengumuman menunggu persetujuan Anda</b>: {title}\n"
    "Buka Pengumuman di konsol staf untuk memeriksa dan menyetujuinya."
)


def _name(staff: StaffUser) -> str:
    return html.escape(staff.full_name or staff.username, quote=False)


def _queue(session: Session, staff: StaffUser, key: str, text: str) -> bool:
    if staff.telegram_user_id is None or not staff.is_active:
        return False
    chat = touch_chat(session, telegram_chat_id=staff.telegram_user_id, kind="private")
    message = NewMessage(key=key, purpose=OutboxPurpose.STAFF_NOTICE, chat_id=chat.id, html=text)
    return enqueue(session, messages=[message]) == 1


def notify_assignee(
    session: Session, *, question_id: int, question_text: str, assignee: StaffUser, by: StaffUser
) -> bool:
    """Tell ``assignee`` privately that ``by`` gave them the question (not when they took it
    themselves, nor twice for the same hand-over)."""
    if assignee.id == by.id:
        return False
    text = ASSIGNED.format(
        question_id=question_id,
        by=_name(by),
        question=html.escape(question_text[:300], quote=False),
    )
    return _queue(session, assignee, f"assigned:q{question_id}:to{assignee.id}", text)


def notify_approver(
    session: Session, *, announcement_id: int, title: str, version: str, approver: StaffUser
) -> bool:
    """Tell ``approver`` privately that the announcement (as of ``version``) waits for them."""
    text = AWAITING_APPROVAL.format(title=html.escape(title, quote=False))
    key = f"approve:a{announcement_id}:{version}:to{approver.id}"
    return _queue(session, approver, key, text)
