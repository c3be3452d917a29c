"""/topik (browse entries by category, editing one message) and /tahapan (stages)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import keyboards, texts
from bot.callbacks import OpenEntry, ShowCategory, ShowStages, ShowTopics, StaleButton
from bot.formatting import escape
from bot.handlers.common import send_html
from bot.services import services
from knowledge_base.knowledge.stage_calendar import describe_current, describe_next, local_today


def _categories(context: ContextTypes.DEFAULT_TYPE) -> list[tuple[str, str]]:
    """(id, label) of every category with entries, in knowledge-base order."""
    svc = services(context)
    seen: dict[str, None] = {}
    for entry in svc.current_engine().index.entries:
        seen.setdefault(entry.category, None)
    return [(name, svc.office.category_label(name)) for name in seen]


async def topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen sees the categories as buttons."""
    await send_html(
        update.effective_message, texts.TOPICS_HEADER, keyboards.categories(_categories(context))
    )


async def on_topics(update: Update, context: ContextTypes.DEFAULT_TYPE, tap: ShowTopics) -> None:
    """Back from a category to the list of categories, in the same message."""
    query = update.callback_query
    await query.answer()
    await query.edit_message_text(
        texts.TOPICS_HEADER, reply_markup=keyboards.categories(_categories(context))
    )


async def on_category(
    update: Update, context: ContextTypes.DEFAULT_TYPE, tap: ShowCategory
) -> None:
    """A category's questions replace the category buttons; an unknown category is stale."""
    engine = services(context).current_engine()
    query = update.callback_query
    items = [(e.id, e.question) for e in engine.index.entries if e.category == tap.category]
    if not items:
        raise StaleButton
    await query.answer()
    label = escape(services(context).office.category_label(tap.category))
    await query.edit_message_text(
        texts.TOPIC_HEADER.format(category=label),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboards.entries(items),
    )


async def on_entry(update: Update, context: ContextTypes.DEFAULT_TYPE, tap: OpenEntry) -> None:
    """An entry's answer replaces the question list, with a way back to its category."""
    engine = services(context).current_engine()
    query = update.callback_query
    await query.answer()
    entry = engine.entry(tap.slug)
    if entry is None:
        await query.edit_message_text(texts.ENTRY_GONE)
        return
    await query.edit_message_text(
        escape(engine.compose_answer(entry)),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboards.back_to_topics(entry.category),
    )


def stages_text(context: ContextTypes.DEFAULT_TYPE) -> str:
    """Current and next stages, or a note that none is scheduled."""
    svc = services(context)
    today = local_today(svc.settings.zone)
    stages = svc.current_engine().stages
    parts = [p for p in (describe_current(stages, today), describe_next(stages, today)) if p]
    return escape("\n\n".join(parts)) if parts else texts.STAGES_NONE


async def stages(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen sees the running and upcoming stages with dates."""
    await send_html(update.effective_message, stages_text(context))


async def on_stages(update: Update, context: ContextTypes.DEFAULT_TYPE, tap: ShowStages) -> None:
    """The menu's stage button shows the same as /tahapan."""
    await update.callback_query.answer()
    await send_html(update.effective_message, stages_text(context))
