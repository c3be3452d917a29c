"""The outbox sender: claims due rows, sends them at the allowed pace, records each outcome.

Every database call runs in the sender's own thread, never on the event loop. Rows are
claimed a little ahead of the workers (about a second of sending) and their lease is renewed
while held, so a live sender never loses a row to another; a sender that dies leaves its rows
``sending`` until the lease expires and any sender requeues them. Each outcome is committed
right after Telegram answers, so after a crash at most the messages in flight (``workers``)
can arrive twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import session_scope
from knowledge_base.outbox import service
from knowledge_base.outbox.pacing import Pacer
from knowledge_base.outbox.policy import OutboxPolicy
from knowledge_base.outbox.recording import record_outcome
from knowledge_base.outbox.service import ClaimedMessage, OutboxRef
from knowledge_base.outbox.transport import Outcome, Transport, TransportResult

logger = logging.getLogger(__name__)
Housekeeping = Callable[[Session], object]
T = TypeVar("T")
RECORD_ATTEMPTS = 3


class OutboxSender:
    """Delivers outbox rows through ``transport``: ``start``/``stop`` to run for the life of a
    process (``wake`` after enqueueing), or ``drain`` to deliver one reference and return."""

    def __init__(
        self,
        engine: Engine,
        transport: Transport,
        policy: OutboxPolicy | None = None,
        *,
        housekeeping: Sequence[Housekeeping] = (),
    ) -> None:
        self.engine = engine
        self.transport = transport
        self.policy = policy or OutboxPolicy()
        self.housekeeping = tuple(housekeeping)
        self.pacer = Pacer(
            self.policy.rate_per_second, self.policy.per_chat_interval, self.policy.group_interval
        )
        self._held: dict[int, ClaimedMessage] = {}
        self._lost: set[int] = set()
        self._signal = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-db")

    @property
    def running(self) -> bool:
        """Whether the loop started by ``start`` is alive."""
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Open the transport and run the sending loop in the background."""
        await self.transport.start()
        self._stopping = False
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(ref=None, until_settled=False))

    async def stop(self) -> None:
        """Let messages in flight finish, give back the rest, close the transport."""
        self._stopping = True
        self.wake()
        if self._task is not None:
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            except Exception:  # the loop died earlier; stopping must still close the transport
                logger.exception("the outbox sender had stopped with an error")
            self._task = None
        await self.transport.stop()

    def wake(self) -> None:
        """Look for due rows now (safe to call from any thread, e.g. a sync API route)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._signal.set()
        else:
            loop.call_soon_threadsafe(self._signal.set)

    async def drain(self, ref: OutboxRef | None = None) -> None:
        """Deliver every row of ``ref`` (all rows when ``None``) until none is left open,
        in this task; rows ``sending`` by a dead sender are taken over when their lease ends."""
        self._loop = asyncio.get_running_loop()
        await self.transport.start()
        try:
            await self._run(ref=ref, until_settled=True)
        finally:
            await self.transport.stop()

    async def wait_settled(self, ref: OutboxRef, poll: float = 0.5) -> None:
        """Wait until the running loop (or another process) has delivered every row of ``ref``."""
        self.wake()
        while not await self._in_thread(self._db, service.is_settled, ref=ref):
            if not self.running:
                raise RuntimeError("the outbox sender stopped before the delivery finished")
            await asyncio.sleep(poll)

    # ---- the loop ---------------------------------------------------------------------------

    async def _run(self, *, ref: OutboxRef | None, until_settled: bool) -> None:
        queue: asyncio.Queue[ClaimedMessage] = asyncio.Queue()
        workers = [asyncio.create_task(self._worker(queue)) for _ in range(self.policy.workers)]
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            await self._tidy_now()
            await self._produce(queue, ref, until_settled)
            await self._finish(queue)
        finally:
            heartbeat.cancel()
            for worker in workers:
                worker.cancel()
            await asyncio.gather(heartbeat, *workers, return_exceptions=True)
            if self._held:  # cancelled mid-way: nothing we hold may wait for a lease
                await self._in_thread(self._db, service.release, message_ids=list(self._held))
                self._held.clear()
            if until_settled:
                await self._tidy_now()

    async def _produce(
        self, queue: asyncio.Queue[ClaimedMessage], ref: OutboxRef | None, until_settled: bool
    ) -> None:
        while not self._stopping:
            await self.pacer.until_resumed()  # claiming during a 429 pause would only queue
            self._signal.clear()
            room = self.policy.capacity - len(self._held)
            if room <= self.policy.capacity // 2:
                await self._nap(self.policy.poll_seconds)  # a worker signals when half free
                continue
            try:
                if await self._top_up(queue, ref, room):
                    continue
                if until_settled and not self._held and await self._in_thread(self._settled, ref):
                    return
                pause = await self._in_thread(self._until_due, ref)
            except Exception as exc:  # a locked or unreachable database: try again shortly
                logger.warning("outbox: cannot read the queue (%s); retrying", exc)
                pause = self.policy.poll_seconds
            await self._nap(pause)

    async def _top_up(
        self, queue: asyncio.Queue[ClaimedMessage], ref: OutboxRef | None, room: int
    ) -> bool:
        """Claim up to ``room`` due rows for the workers; whether any were due."""
        claimed = await self._in_thread(self._db, service.claim_due, limit=room, ref=ref)
        for message in claimed:
            self._held[message.id] = message
            queue.put_nowait(message)
        return bool(claimed)

    async def _finish(self, queue: asyncio.Queue[ClaimedMessage]) -> None:
        """Give back what no worker has started, then wait (a while) for those in flight."""
        unsent = []
        while not queue.empty():
            unsent.append(queue.get_nowait())
            queue.task_done()
        if unsent:
            await self._in_thread(self._db, service.release, message_ids=[m.id for m in unsent])
            for message in unsent:
                self._held.pop(message.id, None)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(queue.join(), self.policy.stop_grace_seconds)

    async def _nap(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._signal.wait(), max(0.01, seconds))

    async def _worker(self, queue: asyncio.Queue[ClaimedMessage]) -> None:
        while True:
            message = await queue.get()
            try:
                await self._deliver(message)
            except Exception:  # one broken row must not stop the worker
                logger.exception("outbox message %s could not be delivered", message.id)
            finally:
                self._held.pop(message.id, None)
                self._lost.discard(message.id)
                queue.task_done()
                if len(self._held) <= self.policy.capacity // 2:
                    self._signal.set()

    async def _deliver(self, message: ClaimedMessage) -> None:
        await self.pacer.wait_turn(message.telegram_chat_id)
        if message.id in self._lost:
            return  # requeued by another sender while we stalled: it is theirs now
        result = await self._transmit(message)
        if result.outcome == Outcome.RETRY_AFTER:
            self.pacer.pause(result.retry_after or 1.0)
        for attempt in range(RECORD_ATTEMPTS):  # unrecorded, a sent message would go twice
            try:
                await self._in_thread(self._record, message, result)
                break
            except Exception:
                if attempt == RECORD_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(0.5)
        if result.outcome == Outcome.BLOCKED:  # its other rows we hold are blocked now too
            self._lost.update(
                m.id for m in self._held.values() if m.telegram_chat_id == message.telegram_chat_id
            )

    async def _transmit(self, message: ClaimedMessage) -> TransportResult:
        """Send the message, or edit the one it replaces once that one has been sent."""
        if message.edit_key is None:
            return await self.transport.send(
                message.telegram_chat_id, message.html, message.buttons
            )
        if message.edit_message_id is None:
            return TransportResult.transient(f"{message.edit_key} is not sent yet")
        return await self.transport.edit(
            message.telegram_chat_id, message.edit_message_id, message.html, message.buttons
        )

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.policy.lease_seconds / 3)
            held = list(self._held)
            try:
                kept = await self._in_thread(self._db, service.renew_claims, message_ids=held)
                self._lost.update(i for i in set(held) - kept if i in self._held)
            except Exception as exc:  # renewed at the next beat; the lease has room for it
                logger.warning("outbox: cannot renew claims (%s); retrying", exc)
            await self._tidy_now()

    async def _tidy_now(self) -> None:
        try:
            await self._in_thread(self._tidy)
        except Exception as exc:  # done again at the next beat
            logger.warning("outbox: cannot requeue or finish (%s); retrying", exc)

    # ---- database steps (run in threads) -----------------------------------------------------

    async def _in_thread(self, function: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run blocking database work off the event loop, on this sender's one thread: its
        writes never compete with each other for SQLite's lock (whose busy wait sleeps)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(function, *args, **kwargs))

    def _db(self, function: Callable[..., object], **kwargs: object) -> object:
        with session_scope(self.engine) as session:
            return function(session, **kwargs)

    def _tidy(self) -> None:
        """Requeue rows of dead senders; let owners finish what is complete (announcements)."""
        older = utcnow() - timedelta(seconds=self.policy.lease_seconds)
        with session_scope(self.engine) as session:
            requeued = service.requeue_stale(session, older_than=older)
            for step in self.housekeeping:
                step(session)
        if requeued:
            logger.info("outbox: %d message(s) left by a stopped sender are queued again", requeued)

    def _settled(self, ref: OutboxRef | None) -> bool:
        with Session(self.engine) as session:
            return service.is_settled(session, ref=ref)

    def _until_due(self, ref: OutboxRef | None) -> float:
        with Session(self.engine) as session:
            due = service.next_due_at(session, ref=ref)
        if due is None:
            return self.policy.poll_seconds
        return min(self.policy.poll_seconds, (due - utcnow()).total_seconds())

    def _record(self, message: ClaimedMessage, result: TransportResult) -> None:
        with session_scope(self.engine) as session:
            record_outcome(
                session,
                message=message,
                result=result,
                max_attempts=self.policy.max_attempts,
                backoff=self.policy.backoff,
            )
