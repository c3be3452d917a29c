"""One place that parses callback data and hands it to the right handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot import callbacks
from bot.handlers import browse, privacy, questions, subscriptions

logger = logging.getLogger(__name__)

ROUTES = {
    callbacks.SUGGESTION: questions.on_suggestion,
    callbacks.FEEDBACK: questions.on_feedback,
    callbacks.TOPICS: browse.on_browse,
    callbacks.CATEGORY: browse.on_browse,
    callbacks.ENTRY: browse.on_browse,
    callbacks.STAGES: browse.on_stages,
    callbacks.AREA: subscriptions.on_area,
    callbacks.ERASE: privacy.on_erase,
}


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Dispatch a button tap; unknown or stale data is acknowledged and ignored."""
    query = update.callback_query
    data = callbacks.parse(query.data)
    if data is None:
        logger.warning("update %s: unknown callback data", update.update_id)
        await query.answer()
        return
    await ROUTES[data.kind](update, context, data)
