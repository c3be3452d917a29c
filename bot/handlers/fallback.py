"""Messages the bot cannot read, and the error handler that keeps the bot alive."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.handlers.common import is_private, send_html

logger = logging.getLogger(__name__)


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice and locations get a request to type the question."""
    if is_private(update):
        await send_html(update.effective_message, texts.NON_TEXT)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with the update id and tell the citizen something went wrong."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("update %s failed", update_id, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await send_html(update.effective_message, texts.ERROR)
        except Exception:  # the apology itself failed: nothing more to do for this update
            logger.exception("could not report the failure of update %s", update_id)
