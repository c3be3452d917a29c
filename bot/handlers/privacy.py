"""/hapusdata: a citizen erases what the bot holds about them, after confirming."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards, texts
from bot.callbacks import ConfirmErase
from bot.handlers.common import may_manage_chat, send_html
from bot.services import BotServices, services
from knowledge_base.conversations.service import erase_chat


def _erase(svc: BotServices, telegram_chat_id: int) -> bool:
    with svc.session() as session:
        erased = erase_chat(session, telegram_chat_id=telegram_chat_id)
        session.commit()
        return erased


async def erase_request(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen is asked to confirm before anything is deleted (in groups: admins only)."""
    if not await may_manage_chat(update, context):
        await send_html(update.effective_message, texts.GROUP_ONLY_ADMIN_ERASE)
        return
    await send_html(update.effective_message, texts.ERASE_CONFIRM, keyboards.confirm_erase())


async def on_erase(update: Update, context: ContextTypes.DEFAULT_TYPE, tap: ConfirmErase) -> None:
    """Confirmed: chat, subscription and question links are deleted; cancelled: nothing."""
    query = update.callback_query
    if not await may_manage_chat(update, context):
        await query.answer(texts.GROUP_ONLY_ADMIN_ERASE, show_alert=True)
        return
    await query.answer()
    if not tap.confirmed:
        await query.edit_message_text(texts.ERASE_CANCELLED)
        return
    erased = await asyncio.to_thread(_erase, services(context), update.effective_chat.id)
    context.chat_data.clear()
    await query.edit_message_text(texts.ERASED if erased else texts.ERASE_NOTHING)
