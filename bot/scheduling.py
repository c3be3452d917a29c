"""Sends scheduled announcements on time, the staff group's morning digest and the askers'
late-answer notices: APScheduler 3 with its job store in our database.

Exactly one process schedules. On PostgreSQL that is the process holding a session-level
advisory lock; the others retry every sync interval and take over when the holder dies (its
connection closes and PostgreSQL releases the lock). SQLite deployments run one process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date, datetime, timedelta
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from bot.broadcaster import Broadcaster
from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.announcements.workflow import next_occurrence
from knowledge_base.core.columns import utcnow
from knowledge_base.core.settings import Settings
from knowledge_base.followup.overdue import queue_overdue_notices
from knowledge_base.knowledge.office_calendar import OfficeCalendar
from knowledge_base.staffgroup.digest import DIGEST_TIME, queue_daily_digest

logger = logging.getLogger(__name__)
LOCK_KEY = 7_312_024  # any constant shared by every TanyaPemilu process on one database
JOB_PREFIX = "announcement-"

# Persisted jobs name an importable function; it reaches this process's broadcaster here.
_running: dict[str, AnnouncementScheduler] = {}
DIGEST_JOB = "staff-digest"
OVERDUE_JOB = "overdue-notices"
OVERDUE_CHECK_MINUTES = 15


async def deliver_announcement(announcement_id: int, occurrence: int = 0) -> None:
    """The scheduled job: claim the announcement (once, across processes) and deliver it; the
    outbox closes the occurrence (a recurring announcement goes back to the schedule)."""
    broadcaster = _running["current"].broadcaster
    report = await broadcaster.send(announcement_id, occurrence, only_if_scheduled=True)
    if report is not None:  # None: already being sent by another run or process
        logger.info("announcement %s/%s delivered: %s", announcement_id, occurrence, report)


async def send_staff_digest() -> None:
    """The scheduled job at 08:00 office time, Monday to Friday: queue the staff group's digest
    (skipped on holidays and collective leave; once a day across processes)."""
    if await asyncio.to_thread(_running["current"].queue_digest):
        logger.info("staff digest queued")


async def send_overdue_notices() -> None:
    """The scheduled job every 15 minutes: tell the askers of newly overdue questions, once."""
    queued = await asyncio.to_thread(_running["current"].queue_overdue)
    if queued:
        logger.info("%s overdue notice(s) queued", queued)


class Leadership:
    """Holds the scheduler lock for this process (PostgreSQL advisory lock)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None or self.engine.dialect.name != "postgresql"

    def try_acquire(self) -> bool:
        if self.held:
            return True
        connection = self.engine.connect()
        got = connection.execute(select(func.pg_try_advisory_lock(LOCK_KEY))).scalar()
        connection.commit()
        if got:
            self._connection = connection
        else:
            connection.close()
        return bool(got)

    def still_held(self) -> bool:
        """Whether the lock's connection is alive: PostgreSQL frees a session lock when its
        connection dies (e.g. ``pg_terminate_backend``), and then another process may lead."""
        if self._connection is None:
            return self.held
        try:
            self._connection.execute(select(1))
            self._connection.commit()
            return True
        except Exception:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None
            return False

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.execute(select(func.pg_advisory_unlock(LOCK_KEY)))
                self._connection.commit()
            self._connection.close()
            self._connection = None


class AnnouncementScheduler:
    """Keeps APScheduler's jobs in step with the announcements table, when leader."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        broadcaster: Broadcaster,
        calendar: OfficeCalendar | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.broadcaster = broadcaster
        self.calendar = calendar or OfficeCalendar(settings.zone)
        self.leadership = Leadership(engine)
        self.grace = timedelta(minutes=settings.announcement_grace_minutes)
        self.scheduler: AsyncIOScheduler | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        _running["current"] = self
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        self.leadership.release()

    @property
    def running(self) -> bool:
        """Whether the scheduling loop runs (as leader or on standby)."""
        return self._task is not None and not self._task.done()

    @property
    def leading(self) -> bool:
        """Whether this process schedules announcements now."""
        return self.scheduler is not None

    def queue_digest(self, today: date | None = None) -> bool:
        """Queue the staff group's digest for ``today`` (office calendar) when it is due."""
        today = today or utcnow().astimezone(self.calendar.zone).date()
        with Session(self.engine) as session:
            queued = queue_daily_digest(
                session, settings=self.settings, calendar=self.calendar, today=today
            )
            session.commit()
        return queued

    def queue_overdue(self) -> int:
        """Queue the late-answer notices of questions that passed their due date."""
        with Session(self.engine) as session:
            queued = queue_overdue_notices(
                session,
                calendar=self.calendar,
                extra_working_days=self.settings.response_due_working_days,
            )
            session.commit()
        return queued

    def _step_down(self) -> None:
        logger.warning("scheduler lock lost (its database connection closed): stepping down")
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None

    async def _run(self) -> None:
        while True:
            try:
                if self.leading and not await asyncio.to_thread(self.leadership.still_held):
                    self._step_down()
                if await asyncio.to_thread(self.leadership.try_acquire):
                    self._ensure_started()
                    # APScheduler's add/remove are thread-safe; the reads and the job store's
                    # writes stay off the loop that answers citizens.
                    await asyncio.to_thread(self.sync)
            except Exception:  # a failed sync must not stop scheduling for good
                logger.exception("announcement scheduler sync failed")
            await asyncio.sleep(self.settings.scheduler_sync_seconds)

    def _ensure_started(self) -> None:
        if self.scheduler is not None:
            return
        self.scheduler = AsyncIOScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.engine)},
            job_defaults={
                "misfire_grace_time": int(self.grace.total_seconds()) or 1,
                "coalesce": True,
            },
            timezone=self.settings.zone,
        )
        self.scheduler.start()
        self.scheduler.add_job(
            send_staff_digest,
            "cron",
            day_of_week="mon-fri",
            hour=DIGEST_TIME.hour,
            minute=DIGEST_TIME.minute,
            timezone=self.settings.zone,
            id=DIGEST_JOB,
            replace_existing=True,
        )
        self.scheduler.add_job(
            send_overdue_notices,
            "interval",
            minutes=OVERDUE_CHECK_MINUTES,
            id=OVERDUE_JOB,
            replace_existing=True,
        )

    def sync(self, now: datetime | None = None) -> dict[str, Any]:
        """Add, move or remove jobs; mark announcements missed beyond the grace period."""
        now = now or utcnow()
        scheduled: set[str] = set()
        missed: list[int] = []
        with Session(self.engine) as session:
            items = (
                session.exec(
                    select(Announcement).where(Announcement.status == AnnouncementStatus.SCHEDULED)
                )
                .scalars()
                .all()
            )
            for item in items:
                upcoming = next_occurrence(
                    session, item, self.settings.zone, now=now, grace=self.grace
                )
                if upcoming is None:
                    if item.recurrence:  # every day has been sent: the series is complete
                        item.status = AnnouncementStatus.SENT
                        session.add(item)
                    continue
                occurrence, when = upcoming
                if when < now - self.grace:
                    item.status = AnnouncementStatus.MISSED
                    session.add(item)
                    missed.append(item.id)
                    continue
                job_id = f"{JOB_PREFIX}{item.id}"
                scheduled.add(job_id)
                self.scheduler.add_job(
                    deliver_announcement,
                    "date",
                    run_date=max(when, now),
                    id=job_id,
                    args=[item.id, occurrence],
                    replace_existing=True,
                )
            session.commit()
        for job in self.scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) and job.id not in scheduled:
                job.remove()
        return {"scheduled": sorted(scheduled), "missed": missed}
