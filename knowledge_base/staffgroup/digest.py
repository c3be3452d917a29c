"""The morning digest in the staff group: what is due today and what is overdue, sent at 08:00
office time on working days only, once per day whichever process runs it."""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from knowledge_base.core.settings import Settings
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.knowledge.office_calendar import OfficeCalendar
from knowledge_base.outbox.models import OutboxPurpose
from knowledge_base.outbox.service import NewMessage, enqueue
from knowledge_base.staffgroup.service import staff_group_chat

DIGEST_TIME = time(8, 0)
MAX_LISTED = 10


def _open_due_before(session: Session, moment: datetime) -> list[UnansweredQuestion]:
    return list(
        session.exec(
            select(UnansweredQuestion)
            .where(
                UnansweredQuestion.status == UnansweredStatus.OPEN,
                UnansweredQuestion.merged_into_id.is_(None),
                col(UnansweredQuestion.due_at) < moment,
            )
            .order_by(col(UnansweredQuestion.due_at))
        ).all()
    )


def digest_html(session: Session, *, today: date, calendar: OfficeCalendar) -> str | None:
    """The digest for ``today`` (office calendar), or ``None`` when nothing is due."""
    start = datetime.combine(today, time(0, 0), tzinfo=calendar.zone)
    pending = _open_due_before(session, start + timedelta(days=1))
    if not pending:
        return None
    overdue = [q for q in pending if q.due_at < start]
    due_today = [q for q in pending if q.due_at >= start]
    lines = [f"<b>Ringkasan pagi {today.day}/{today.month}/{today.year}</b>"]
    for title, questions in (("Lewat tenggat", overdue), ("Tenggat hari ini", due_today)):
        if questions:
            lines.append(f"\n<b>{title}: {len(questions)}</b>")
            lines.extend(
                f"• #{q.id} ({q.ask_count} warga): {html.escape(q.masked_text[:120], quote=False)}"
                for q in questions[:MAX_LISTED]
            )
            if len(questions) > MAX_LISTED:
                lines.append(f"… dan {len(questions) - MAX_LISTED} lainnya di konsol staf.")
    return "\n".join(lines)


def queue_daily_digest(
    session: Session, *, settings: Settings, calendar: OfficeCalendar, today: date
) -> bool:
    """Queue today's digest to the staff group; nothing on a day off, without a group, when
    nothing is due, or when today's digest is queued already. Returns whether it was queued."""
    if not calendar.is_working_day(today):
        return False
    group = staff_group_chat(session, settings)
    text = digest_html(session, today=today, calendar=calendar) if group else None
    if group is None or text is None:
        return False
    message = NewMessage(
        key=f"digest:{today.isoformat()}",
        purpose=OutboxPurpose.STAFF_NOTICE,
        chat_id=group.id,
        html=text,
    )
    return enqueue(session, messages=[message]) == 1
