"""Scheduled announcements go out on time, late ones within grace, older ones are 'missed'."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram import Bot

from bot.broadcaster import Broadcaster, BroadcastPolicy
from bot.scheduling import DIGEST_JOB, OVERDUE_JOB, AnnouncementScheduler, Leadership
from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import create_db_engine, session_scope
from knowledge_base.core.scheduler_jobs import apscheduler_jobs
from knowledge_base.core.settings import Settings
from tests.telegram.fake_server import running_fake_telegram
from tests.test_broadcast import subscribers

FAST = BroadcastPolicy(rate_per_second=500, per_chat_interval=0)


def scheduled(engine: Engine, send_at) -> int:
    with session_scope(engine) as session:
        item = Announcement(
            title="Jadwal", body="Isi.", send_at=send_at, status=AnnouncementStatus.SCHEDULED
        )
        session.add(item)
        session.flush()
        return item.id


def status_of(engine: Engine, announcement_id: int) -> str:
    with Session(engine) as session:
        return session.get(Announcement, announcement_id).status


async def _run_scheduler(database_url: str, engine: Engine, seconds: float) -> Counter:
    settings = Settings(_env_file=None, database_url=database_url, scheduler_sync_seconds=0.2)
    with running_fake_telegram() as (fake, base_url):
        async with Bot(fake.token, base_url=base_url) as bot:
            scheduler = AnnouncementScheduler(settings, engine, Broadcaster(engine, bot, FAST))
            await scheduler.start()
            await asyncio.sleep(seconds)
            await scheduler.stop()
        return Counter(c.params["chat_id"] for c in fake.sent("sendMessage"))


async def test_an_announcement_missed_within_grace_is_sent_at_start(database_url, engine) -> None:
    chats = subscribers(engine, 3)
    announcement_id = scheduled(engine, utcnow() - timedelta(minutes=30))

    received = await _run_scheduler(database_url, engine, 1.5)

    assert received == Counter(chats)
    assert status_of(engine, announcement_id) == AnnouncementStatus.SENT


async def test_an_announcement_missed_beyond_grace_is_marked_missed(database_url, engine) -> None:
    subscribers(engine, 3)
    announcement_id = scheduled(engine, utcnow() - timedelta(hours=3))

    received = await _run_scheduler(database_url, engine, 1.0)

    assert received == Counter()
    assert status_of(engine, announcement_id) == AnnouncementStatus.MISSED


async def test_a_future_announcement_is_kept_in_the_job_store(database_url, engine) -> None:
    subscribers(engine, 1)
    announcement_id = scheduled(engine, utcnow() + timedelta(days=2))

    await _run_scheduler(database_url, engine, 0.8)

    with engine.connect() as conn:
        ids = conn.execute(sa_select(apscheduler_jobs.c.id)).scalars().all()
    assert sorted(ids) == [f"announcement-{announcement_id}", OVERDUE_JOB, DIGEST_JOB]
    assert status_of(engine, announcement_id) == AnnouncementStatus.SCHEDULED


@pytest.mark.parametrize("backend", ["postgresql"])
def test_only_one_process_holds_the_scheduler_lock_until_it_lets_go(database_url) -> None:
    first_engine, second_engine = create_db_engine(database_url), create_db_engine(database_url)
    first, second = Leadership(first_engine), Leadership(second_engine)
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        first.release()  # as when the leading process dies and its connection closes
        assert second.try_acquire()
    finally:
        first.release()
        second.release()
        first_engine.dispose()
        second_engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_two_schedulers_on_postgresql_deliver_an_announcement_once(
    database_url, engine
) -> None:
    chats = subscribers(engine, 20)
    scheduled(engine, utcnow() - timedelta(minutes=1))
    settings = Settings(_env_file=None, database_url=database_url, scheduler_sync_seconds=0.2)
    other_engine = create_db_engine(database_url)
    with running_fake_telegram() as (fake, base_url):
        async with Bot(fake.token, base_url=base_url) as bot:
            runs = [
                AnnouncementScheduler(settings, db, Broadcaster(db, bot, FAST))
                for db in (engine, other_engine)
            ]
            for run in runs:
                await run.start()
            await asyncio.sleep(2.0)
            for run in runs:
                await run.stop()
        received = Counter(c.params["chat_id"] for c in fake.sent("sendMessage"))
    other_engine.dispose()
    assert received == Counter(chats)


async def test_a_daily_announcement_is_sent_today_and_booked_for_tomorrow(
    database_url, engine
) -> None:
    chats = subscribers(engine, 3)
    first = utcnow() - timedelta(minutes=10)
    with session_scope(engine) as session:
        item = Announcement(
            title="Masa tenang",
            body="Hari ini masa tenang.",
            send_at=first,
            recurrence="daily",
            recurrence_until=first + timedelta(days=2, minutes=1),
            status=AnnouncementStatus.SCHEDULED,
        )
        session.add(item)
        session.flush()
        announcement_id = item.id

    received = await _run_scheduler(database_url, engine, 1.5)

    with engine.connect() as conn:
        job = conn.execute(
            sa_select(apscheduler_jobs.c.next_run_time).where(
                apscheduler_jobs.c.id.like("announcement-%")
            )
        ).scalar_one()
    assert received == Counter(chats)
    assert status_of(engine, announcement_id) == AnnouncementStatus.SCHEDULED
    assert abs(job - (first + timedelta(days=1)).timestamp()) < 1


async def test_a_daily_announcement_past_its_last_day_is_complete(database_url, engine) -> None:
    subscribers(engine, 1)
    with session_scope(engine) as session:
        item = Announcement(
            title="Selesai",
            body="Isi.",
            send_at=utcnow() - timedelta(days=5),
            recurrence="daily",
            recurrence_until=utcnow() - timedelta(days=3),
            status=AnnouncementStatus.SCHEDULED,
        )
        session.add(item)
        session.flush()
        announcement_id = item.id

    received = await _run_scheduler(database_url, engine, 0.8)

    assert received == Counter()
    assert status_of(engine, announcement_id) == AnnouncementStatus.SENT


async def test_the_leader_schedules_the_staff_digest_at_eight_on_weekdays(
    database_url: str, engine: Engine
) -> None:
    settings = Settings(_env_file=None, database_url=database_url)
    scheduler = AnnouncementScheduler(settings, engine, Broadcaster(engine, None))
    scheduler._ensure_started()
    try:
        job = scheduler.scheduler.get_job(DIGEST_JOB)
        fields = {f.name: str(f) for f in job.trigger.fields}
    finally:
        scheduler.scheduler.shutdown(wait=False)
    assert (fields["hour"], fields["minute"], fields["day_of_week"]) == ("8", "0", "mon-fri")
    assert str(job.trigger.timezone) == "Asia/Jakarta"


async def test_the_leader_checks_for_overdue_questions_every_fifteen_minutes(
    database_url: str, engine: Engine
) -> None:
    settings = Settings(_env_file=None, database_url=database_url)
    scheduler = AnnouncementScheduler(settings, engine, Broadcaster(engine, None))
    scheduler._ensure_started()
    try:
        job = scheduler.scheduler.get_job(OVERDUE_JOB)
    finally:
        scheduler.scheduler.shutdown(wait=False)
    assert job.trigger.interval.total_seconds() == 15 * 60
