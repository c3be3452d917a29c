"""Builds the python-telegram-bot ``Application`` with every handler registered."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import texts
from bot.handlers import (
    announcements,
    browse,
    fallback,
    guard,
    privacy,
    questions,
    router,
    staff_group,
    staff_link,
    start,
)
from bot.handlers import subscriptions as subs
from bot.services import SERVICES_KEY, BotServices

CONCURRENT_UPDATES = 32
FLOOD_GUARD_GROUP = -2  # runs before every other handler
STAFF_GROUP_REPLIES = -1  # a staff reply stops there; other messages go on to group 0
# A 429 from Telegram is waited out (its retry_after) and retried this many times.
RATE_LIMIT_RETRIES = 3
POOL_TIMEOUT = 10.0


def register_handlers(app: Application) -> None:
    """Every command, button and message handler, in one readable block."""
    app.add_handler(TypeHandler(Update, guard.flood_guard), group=FLOOD_GUARD_GROUP)
    app.add_handler(CommandHandler("start", start.start))
    app.add_handler(CommandHandler(["bantuan", "help"], start.help_command))
    app.add_handler(CommandHandler("topik", browse.topics))
    app.add_handler(CommandHandler("tahapan", browse.stages))
    app.add_handler(CommandHandler("pengumuman", announcements.latest))
    app.add_handler(CommandHandler("langganan", subs.subscribe))
    app.add_handler(CommandHandler("berhenti", subs.unsubscribe))
    app.add_handler(CommandHandler("hapusdata", privacy.erase_request))
    app.add_handler(CommandHandler("tautkan", staff_link.link_staff_account))
    app.add_handler(CommandHandler("jadikangrupstaf", staff_group.choose_group))
    # Replies in the staff group (answers to cards, dismissal reasons) come before questions.
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.GROUPS & filters.REPLY & filters.TEXT,
            staff_group.on_reply,
        ),
        group=STAFF_GROUP_REPLIES,
    )
    app.add_handler(CallbackQueryHandler(router.on_callback))
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGES & filters.TEXT & ~filters.COMMAND, questions.on_text
        )
    )
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.COMMAND,
            start.help_command,
        )
    )
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            fallback.non_text,
        )
    )
    app.add_error_handler(fallback.on_error)


async def start_application(app: Application) -> None:
    """Initialise (``getMe``), register the command menu, and start processing updates."""
    await app.initialize()
    services: BotServices = app.bot_data[SERVICES_KEY]
    services.username = app.bot.username or ""
    await app.bot.set_my_commands([BotCommand(name, help_) for name, help_ in texts.COMMANDS])
    await app.start()
    services.start_watching()


async def stop_application(app: Application) -> None:
    """Stop polling (if any), finish pending updates, and release connections."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    services: BotServices | None = app.bot_data.get(SERVICES_KEY)
    if services is not None:
        services.stop_watching()
    if app.running:
        await app.stop()
    await app.shutdown()


def build_application(services: BotServices, *, with_updater: bool = True) -> Application:
    """The bot for ``services.settings``; without an updater when updates come by webhook."""
    settings = services.settings
    if settings.telegram_token is None:
        raise ValueError("TANYAPEMILU_TELEGRAM_TOKEN is not set")
    builder = (
        Application.builder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=settings.telegram_overall_rate,
                group_max_rate=settings.telegram_group_rate,
                max_retries=RATE_LIMIT_RETRIES,
            )
        )
        .concurrent_updates(CONCURRENT_UPDATES)
        # httpcore scans every pooled connection per request: a pool sized to the work in
        # flight (not PTB's default 256) keeps that cheap.
        .connection_pool_size(CONCURRENT_UPDATES)
        .pool_timeout(POOL_TIMEOUT)
    )
    if not with_updater:
        builder = builder.updater(None)
    app = builder.build()
    app.bot_data[SERVICES_KEY] = services
    register_handlers(app)
    return app


ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
