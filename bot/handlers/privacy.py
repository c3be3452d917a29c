"""/hapusdata: a citizen erases what the bot holds about them, after confirming."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards, texts
from bot.callbacks import Callback
from bot.handlers.common import send_html
from bot.services import services
from knowledge_base.conversations import erase_chat


async def erase_request(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen is asked to confirm before anything is deleted."""
    await send_html(update.effective_message, texts.ERASE_CONFIRM, keyboards.confirm_erase())


async def on_erase(update: Update, context: ContextTypes.DEFAULT_TYPE, data: Callback) -> None:
    """Confirmed: chat, subscription and question links are deleted; cancelled: nothing."""
    query = update.callback_query
    await query.answer()
    if not data.args or data.args[0] != "yes":
        await query.edit_message_text(texts.ERASE_CANCELLED)
        return
    svc = services(context)
    with svc.session() as session:
        erased = erase_chat(session, telegram_chat_id=update.effective_chat.id)
        session.commit()
    svc.pending_areas.pop(update.effective_chat.id, None)
    await query.edit_message_text(texts.ERASED if erased else texts.ERASE_NOTHING)
