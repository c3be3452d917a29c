"""Flood control for every update (messages, commands, button taps), as an early handler
group: past a burst the chat is told once to slow down and the excess is ignored."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import texts
from bot.flood import Verdict
from bot.handlers.common import addressed_text, is_private, send_html
from bot.services import services


def _counts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the update asks the bot for something (group chatter not meant for it doesn't)."""
    if update.effective_chat is None:
        return False
    if is_private(update) or update.callback_query is not None:
        return True
    message = update.effective_message
    if message is None or message.text is None:
        return False
    svc = services(context)
    addressed = addressed_text(message, svc.username, context.bot.id) is not None
    return addressed or message.text.startswith("/")


async def flood_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Let the update through, or stop it (warning the chat the first time)."""
    if not _counts(update, context):
        return
    svc = services(context)
    verdict = svc.flood.check(update.effective_chat.id, svc.clock())
    if verdict is Verdict.ALLOW:
        return
    if verdict is Verdict.WARN:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.SLOW_DOWN)
        elif update.effective_message is not None:
            await send_html(update.effective_message, texts.SLOW_DOWN)
    elif update.callback_query is not None:
        await update.callback_query.answer()  # so the button stops spinning
    raise ApplicationHandlerStop
