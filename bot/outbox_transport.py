"""The outbox's Telegram side: a transport that maps PTB's errors to outcomes, and the one
entry point the composition root uses to run the outbox sender."""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.engine import Engine
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.formatting import split_message
from knowledge_base.announcements.delivery import finish_broadcasts
from knowledge_base.core.settings import Settings
from knowledge_base.outbox.flows import OutboxSender
from knowledge_base.outbox.policy import OutboxPolicy
from knowledge_base.outbox.transport import Buttons, TransportResult

# The outbox waits its turn itself; a request waiting longer than this for a connection means
# something is wrong and counts as a transient failure.
POOL_TIMEOUT = 5.0


def retry_after_seconds(error: RetryAfter) -> float:
    """Telegram's ``retry_after`` in seconds (an int or a timedelta, depending on PTB's mode)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramTransport:
    """Sends outbox HTML with a ``Bot``, split at Telegram's 4,096 characters.

    Use a plain ``Bot`` (no PTB ``AIORateLimiter``): the outbox paces every message itself (the
    broadcast rate, one per second per chat) and must see a 429 to pause all its workers and to
    store the retry time in the row. PTB's limiter would throttle a second time and retry a 429
    in memory, where a crash loses it. The gap between TANYAPEMILU_BROADCAST_RATE (25/s) and
    Telegram's ~30/s is left to the interactive bot, whose own limiter paces its replies.
    """

    def __init__(self, bot: Bot, *, owns_bot: bool = False) -> None:
        self.bot = bot
        self.owns_bot = owns_bot

    async def start(self) -> None:
        if self.owns_bot:
            await self.bot.initialize()

    async def stop(self) -> None:
        if self.owns_bot:
            await self.bot.shutdown()

    async def send(
        self, chat_id: int, html: str, buttons: Buttons | None = None
    ) -> TransportResult:
        """Send every chunk (the buttons under the last); the outcome of the first refusal, or
        the last message id."""

        async def send_chunks() -> int | None:
            chunks = split_message(html)
            message_id = None
            for number, chunk in enumerate(chunks, start=1):
                markup = inline_keyboard(buttons) if number == len(chunks) else None
                message = await self.bot.send_message(
                    chat_id, chunk, parse_mode=ParseMode.HTML, reply_markup=markup
                )
                message_id = message.message_id
            return message_id

        return await _outcome_of(send_chunks)

    async def edit(
        self, chat_id: int, message_id: int, html: str, buttons: Buttons | None = None
    ) -> TransportResult:
        """Replace the message's text and buttons (its first 4,096 characters)."""

        async def edit_message() -> int:
            try:
                await self.bot.edit_message_text(
                    split_message(html)[0],
                    chat_id=chat_id,
                    message_id=message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=inline_keyboard(buttons),
                )
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():
                    raise
            return message_id

        return await _outcome_of(edit_message)


def inline_keyboard(buttons: Buttons | None) -> InlineKeyboardMarkup | None:
    """Telegram's inline keyboard for rows of [label, callback data]."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


async def _outcome_of(request: Callable[[], Awaitable[int | None]]) -> TransportResult:
    """Run one Telegram request; its PTB errors become the outbox's outcomes."""
    try:
        message_id = await request()
    except RetryAfter as exc:
        return TransportResult.flood_wait(retry_after_seconds(exc), str(exc))
    except Forbidden as exc:  # blocked, kicked, deactivated, never started
        return TransportResult.blocked(str(exc))
    except (BadRequest, ChatMigrated) as exc:  # BadRequest first: it is a NetworkError
        return TransportResult.permanent(str(exc))
    except NetworkError as exc:  # timeouts, connection errors, 5xx (PTB raises these so)
        return TransportResult.transient(str(exc) or type(exc).__name__)
    except TelegramError as exc:  # 401, 404, 409: a configuration problem worth retrying
        return TransportResult.transient(str(exc))
    return TransportResult.sent(message_id)


def outbox_policy(settings: Settings) -> OutboxPolicy:
    """The sender's pace and lease from the settings."""
    group_rate = settings.telegram_group_rate
    return OutboxPolicy(
        rate_per_second=settings.broadcast_rate,
        group_interval=60.0 / group_rate if group_rate > 0 else 0.0,
        lease_seconds=settings.outbox_lease_seconds,
    )


def build_outbox_sender(settings: Settings, engine: Engine, bot: Bot | None = None) -> OutboxSender:
    """The process's one outbox sender; run it with ``await sender.start()`` and
    ``await sender.stop()``. Without ``bot`` it gets its own un-throttled Bot (recommended, see
    ``TelegramTransport``), opened by ``start`` and closed by ``stop``."""
    policy = outbox_policy(settings)
    owns_bot = bot is None
    if bot is None:
        if settings.telegram_token is None:
            raise ValueError("TANYAPEMILU_TELEGRAM_TOKEN is not set")
        request = HTTPXRequest(connection_pool_size=policy.workers, pool_timeout=POOL_TIMEOUT)
        bot = Bot(
            settings.telegram_token.get_secret_value(),
            base_url=settings.telegram_base_url,
            request=request,
        )
    transport = TelegramTransport(bot, owns_bot=owns_bot)
    return OutboxSender(engine, transport, policy, housekeeping=[finish_broadcasts])
