"""/tautkan: a staff member links their own Telegram account with a code from the console."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.formatting import escape
from bot.handlers.common import is_private, send_html
from bot.services import BotServices, services
from knowledge_base.staff.telegram_link import link_telegram_account


def _link(svc: BotServices, code: str, telegram_user_id: int) -> str | None:
    with svc.session() as session:
        staff = link_telegram_account(session, code=code, telegram_user_id=telegram_user_id)
        if staff is None:
            return None
        session.commit()
        return staff.username


async def link_staff_account(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The code (never echoed, never logged) links the sender's Telegram account."""
    message = update.effective_message
    if not is_private(update):
        await send_html(message, texts.LINK_PRIVATE_ONLY)
        return
    code = "".join(context.args or [])
    if not code:
        await send_html(message, texts.LINK_HOW)
        return
    username = await asyncio.to_thread(_link, services(context), code, update.effective_user.id)
    if username is None:
        await send_html(message, texts.LINK_UNKNOWN)
        return
    await send_html(message, texts.LINK_DONE.format(username=escape(username)))
