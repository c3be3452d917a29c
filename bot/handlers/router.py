"""One place that parses callback data and hands the typed value to the right handler."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import CallbackQuery, Update
from telegram.ext import ContextTypes

from bot import callbacks, texts
from bot.handlers import browse, privacy, questions, staff_group, subscriptions
from bot.services import services

logger = logging.getLogger(__name__)

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE, Any], Awaitable[None]]

ROUTES: dict[type[callbacks.Callback], Handler] = {
    callbacks.OpenSuggestion: questions.on_suggestion,
    callbacks.OpenSeeAlso: questions.on_see_also,
    callbacks.RateAnswer: questions.on_feedback,
    callbacks.ShowTopics: browse.on_topics,
    callbacks.ShowCategory: browse.on_category,
    callbacks.OpenEntry: browse.on_entry,
    callbacks.ShowStages: browse.on_stages,
    callbacks.ToggleArea: subscriptions.on_area,
    callbacks.FinishAreas: subscriptions.on_area,
    callbacks.ConfirmErase: privacy.on_erase,
    callbacks.CardTap: staff_group.on_card_tap,
}


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Dispatch a button tap; forged or stale data gets a short notice and changes nothing."""
    query = update.callback_query
    data = callbacks.parse(query.data, area_count=len(services(context).office.areas))
    if data is None:
        logger.warning("update %s: invalid callback data %.80r", update.update_id, query.data)
        await _answer_stale(query)
        return
    try:
        await ROUTES[type(data)](update, context, data)
    except callbacks.StaleButton:
        logger.info("update %s: stale button %.80r", update.update_id, query.data)
        await _answer_stale(query)


async def _answer_stale(query: CallbackQuery) -> None:
    await query.answer(text=texts.STALE_BUTTON, show_alert=False)
