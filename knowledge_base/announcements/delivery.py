"""Announcement delivery through the outbox: one row per (announcement, occurrence, chat).

Starting an occurrence claims the announcement and writes every recipient's row in one
transaction; the outbox sender delivers them (crash-safe, never twice but for the messages in
flight at a crash), and ``finish_broadcasts`` closes each occurrence whose rows are all final,
whichever process or restart finished them.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from knowledge_base.announcements import workflow as announcing
from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.conversations.models import Chat
from knowledge_base.outbox.control import cancel_pending, reopen
from knowledge_base.outbox.models import OutboxPurpose, OutboxRefType
from knowledge_base.outbox.service import NewMessage, OutboxRef, enqueue, is_settled
from knowledge_base.outbox.service import delivery_report as outbox_report

SERIES = (AnnouncementStatus.SCHEDULED, AnnouncementStatus.SENDING)


def recipients(session: Session, announcement: Announcement) -> list[int]:
    """Ids of subscribed, unblocked chats in the announcement's audience.

    A chat that chose kecamatan receives announcements for any of them; a chat that chose none
    receives everything; an announcement without areas goes to every subscriber.
    """
    chats = session.exec(
        select(Chat.id, Chat.subscription_areas).where(Chat.subscribed, ~col(Chat.blocked))
    ).all()
    wanted = set(announcement.audience_areas or [])
    return [chat_id for chat_id, areas in chats if not wanted or not areas or wanted & set(areas)]


def announcement_ref(announcement_id: int, occurrence: int | None = None) -> OutboxRef:
    """The outbox rows of an announcement (of one occurrence, or all)."""
    return OutboxRef(OutboxRefType.ANNOUNCEMENT, announcement_id, occurrence)


class NotSendable(LookupError):
    """A manual send of an announcement that may not go out that way (the message says why).

    A LookupError, so ``tanyapemilu announcements send`` reports it like an unknown id."""


def occurrence_to_send(announcement: Announcement) -> int:
    """The occurrence a manual send delivers: the one being sent (resuming it), 0 for a one-off
    announcement (already sent rows are not sent again), else a recurring one's next."""
    current = announcement.current_occurrence
    if announcement.status == AnnouncementStatus.SENDING or not announcement.recurrence:
        return current or 0
    return 0 if current is None else current + 1


def start_broadcast(
    session: Session,
    *,
    announcement_id: int,
    occurrence: int | None = None,
    only_if_scheduled: bool = False,
) -> int | None:
    """Mark an occurrence (default: ``occurrence_to_send``) as sending and enqueue it to every
    recipient not yet given a row; with ``only_if_scheduled`` (a scheduled job), only if this
    call moves it out of ``scheduled``. Returns the occurrence, or ``None`` when another run
    claimed it. Commit to make the claim and the rows happen together."""
    if only_if_scheduled and not announcing.claim_for_sending(session, announcement_id):
        return None
    announcement = session.get(Announcement, announcement_id)
    if announcement is None:
        raise LookupError(f"announcement {announcement_id} not found")
    session.refresh(announcement)  # the claim above updated the row behind the ORM's back
    if announcement.recurrence and announcement.status not in SERIES:
        # Sending it would put an unsubmitted (or unapproved) series into the schedule.
        raise NotSendable(
            f"announcement {announcement_id} is a recurring {announcement.status} announcement; "
            "submit it (and have it approved) so the scheduler sends it"
        )
    if occurrence is None:
        occurrence = occurrence_to_send(announcement)
    html = announcing.announcement_text(announcement)
    enqueue(
        session,
        messages=[
            NewMessage(
                key=f"announcement:{announcement_id}:{occurrence}:chat{chat_id}",
                purpose=OutboxPurpose.ANNOUNCEMENT,
                chat_id=chat_id,
                html=html,
                ref_type=OutboxRefType.ANNOUNCEMENT,
                ref_id=announcement_id,
                occurrence=occurrence,
            )
            for chat_id in recipients(session, announcement)
        ],
    )
    session.add(announcing.start_sending(announcement, occurrence))
    return occurrence


def stop_broadcast(session: Session, announcement: Announcement) -> int:
    """Cancel the announcement; when it is being sent, its waiting messages are cancelled too
    (those already handed to Telegram finish). Returns how many messages were stopped."""
    stopped = 0
    if announcement.status == AnnouncementStatus.SENDING:
        ref = announcement_ref(announcement.id, announcement.current_occurrence or 0)
        stopped = cancel_pending(session, ref=ref)
    announcing.cancel(session, announcement)
    return stopped


def resume_broadcast(session: Session, announcement: Announcement) -> int:
    """Deliver again what the current occurrence did not deliver (cancelled or failed
    messages, not blocked chats) and mark it sending; returns how many messages were reopened.
    ``WorkflowError`` when the announcement never started sending or nothing is left."""
    if not announcing.can_resume(announcement):
        raise announcing.WorkflowError(
            "Hanya pengumuman yang pengirimannya terhenti yang dapat dilanjutkan."
        )
    occurrence = announcement.current_occurrence or 0
    reopened = reopen(session, ref=announcement_ref(announcement.id, occurrence))
    if reopened == 0 and announcement.status != AnnouncementStatus.SENDING:
        raise announcing.WorkflowError("Tidak ada pesan yang tertunda untuk dilanjutkan.")
    session.add(announcing.start_sending(announcement, occurrence))
    return reopened


def finish_broadcasts(session: Session) -> list[int]:
    """Close every sending announcement whose current occurrence has no open row left (the
    outbox sender runs this, so an occurrence interrupted by a crash is finished on restart)."""
    finished = []
    sending = session.exec(
        select(Announcement).where(Announcement.status == AnnouncementStatus.SENDING)
    ).all()
    for announcement in sending:
        ref = announcement_ref(announcement.id, announcement.current_occurrence or 0)
        if is_settled(session, ref=ref):
            session.add(announcing.finish_sending(announcement))
            finished.append(announcement.id)
    return finished


def delivery_report(
    session: Session, announcement_id: int, occurrence: int | None = None
) -> dict[str, int]:
    """How many messages are pending, sending, sent, failed and blocked."""
    return outbox_report(session, ref=announcement_ref(announcement_id, occurrence))
