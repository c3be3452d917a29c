"""Free-text questions, suggestion and "Lihat juga" taps, and answer feedback.

A tapped suggestion and a 👍 propose the citizen's (masked) question as a phrasing for staff to
accept or reject (``knowledge_base.learning``); a 👎 and a "Lihat juga" tap teach nothing."""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from telegram import Chat as TelegramChat
from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import keyboards, texts
from bot.callbacks import OpenSeeAlso, OpenSuggestion, RateAnswer, StaleButton
from bot.formatting import escape
from bot.handlers.common import addressed_text, is_private, send_html
from bot.services import BotServices, services
from knowledge_base.answering.engine import Reply, Suggestion
from knowledge_base.answering.loader import office_from
from knowledge_base.conversations.models import Chat, Outcome, QuestionLog
from knowledge_base.conversations.service import escalate, log_question, record_feedback, touch_chat
from knowledge_base.learning.proposals import propose_from_helpful_vote, propose_from_suggestion_tap
from knowledge_base.staffgroup.flows import StaffGroupContext, post_escalation

logger = logging.getLogger(__name__)


def _escalate(
    session: Session,
    svc: BotServices,
    chat: Chat,
    masked_text: str,
    normalised_text: str,
    category: str | None = None,
) -> None:
    """Hand the question to staff and post (or update) its card in the staff group."""
    question = escalate(
        session,
        chat=chat,
        masked_text=masked_text,
        normalised_text=normalised_text,
        similarity=svc.settings.escalation_similarity,
        due_in_working_days=svc.settings.response_due_working_days,
        calendar=svc.calendar,
    )
    context = StaffGroupContext(settings=svc.settings, office=office_from(svc.settings))
    label = svc.office.category_label(category) if category else None
    post_escalation(session, context, question, label)


def _guessed_category(reply: Reply) -> str | None:
    """The category of the closest entry, as a hint on the staff card."""
    return reply.candidates[0].entry.category if reply.candidates else None


def _record(svc: BotServices, update: Update, reply: Reply, latency_ms: float) -> int:
    """Log the question (and escalate it when needed); returns the log id."""
    chat = update.effective_chat
    with svc.session() as session:
        chat_row = touch_chat(session, telegram_chat_id=chat.id, kind=chat.type)
        log = log_question(session, chat=chat_row, reply=reply, latency_ms=latency_ms)
        if reply.outcome == Outcome.ESCALATE:
            _escalate(
                session, svc, chat_row, reply.question, reply.normalised, _guessed_category(reply)
            )
        session.commit()
        return log.id


def _rate(svc: BotServices, chat: TelegramChat, tap: RateAnswer) -> bool:
    """Store the vote (escalating a not-helpful answer); ``False`` when it is not this chat's
    answer or was rated already."""
    with svc.session() as session:
        chat_row = touch_chat(session, telegram_chat_id=chat.id, kind=chat.type)
        log: QuestionLog | None = record_feedback(
            session, log_id=tap.log_id, chat=chat_row, helpful=tap.helpful
        )
        if log is None:  # leaving the session uncommitted undoes touch_chat too
            return False
        if tap.helpful:
            propose_from_helpful_vote(session, log=log)
        else:
            _escalate(session, svc, chat_row, log.masked_text, log.normalised_text)
        session.commit()
        return True


def _learn_from_tap(svc: BotServices, telegram_chat_id: int, tap: OpenSuggestion) -> None:
    """Propose the question that got the suggestions as a phrasing of the tapped entry;
    nothing happens when that question is not this chat's (a forged or foreign log id)."""
    with svc.session() as session:
        proposed = propose_from_suggestion_tap(
            session, log_id=tap.log_id, telegram_chat_id=telegram_chat_id, entry_slug=tap.slug
        )
        if proposed is not None:
            session.commit()


def _see_also(reply: Reply) -> Suggestion | None:
    """The engine's "Lihat juga" entry, unless it is the answered entry itself."""
    see_also = reply.see_also
    return see_also if see_also is not None and see_also.entry_id != reply.entry_id else None


async def _reply(message: Message, reply: Reply, log_id: int) -> None:
    if reply.outcome == Outcome.ANSWER and reply.entry_id is not None:
        markup = keyboards.feedback(log_id, _see_also(reply))
        await send_html(message, escape(reply.answer), markup)
    elif reply.outcome == Outcome.SUGGEST:
        markup = keyboards.suggestions(reply.suggestions, log_id)
        await send_html(message, texts.SUGGEST_HEADER, markup)
    else:
        await send_html(message, escape(reply.answer))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen gets an answer, suggestions, a hand-off to staff, or a polite refusal."""
    svc = services(context)
    message = update.effective_message
    text = message.text or ""
    if not is_private(update):
        text = addressed_text(message, svc.username, context.bot.id)
        if text is None:
            return  # in groups the bot speaks only when spoken to
    started = time.perf_counter()
    reply = svc.current_engine().ask(text)
    latency_ms = (time.perf_counter() - started) * 1000
    log_id = await asyncio.to_thread(_record, svc, update, reply, latency_ms)
    # reply.question is already masked; the raw text is never logged.
    logger.debug(
        "update %s: %s entry=%s score=%.1f %.1f ms question=%r",
        update.update_id,
        reply.outcome,
        reply.entry_id,
        reply.score or 0.0,
        latency_ms,
        reply.question[:200],
    )
    await _reply(message, reply, log_id)


async def on_suggestion(
    update: Update, context: ContextTypes.DEFAULT_TYPE, tap: OpenSuggestion
) -> None:
    """A tapped suggestion is answered in place of the suggestion list (and proposes the
    question as a phrasing of the tapped entry, for staff to decide)."""
    svc = services(context)
    query = update.callback_query
    engine = svc.current_engine()
    entry = engine.entry(tap.slug)
    await query.answer()
    if entry is None:
        await query.edit_message_text(texts.ENTRY_GONE)
        return
    if tap.log_id is not None:  # buttons from before suggestions named their question: None
        await _propose_tap(svc, update, tap)
    await query.edit_message_text(
        escape(engine.compose_answer(entry)), parse_mode="HTML", link_preview_options=None
    )


async def _propose_tap(svc: BotServices, update: Update, tap: OpenSuggestion) -> None:
    try:
        await asyncio.to_thread(_learn_from_tap, svc, update.effective_chat.id, tap)
    except SQLAlchemyError as error:
        # The citizen still gets the answer: a lost proposal is no failure of theirs. The
        # driver's reason only, since the statement's parameters quote their question.
        reason = getattr(error, "orig", None) or type(error).__name__
        logger.warning("update %s: suggestion tap not proposed: %s", update.update_id, reason)


async def on_see_also(update: Update, context: ContextTypes.DEFAULT_TYPE, tap: OpenSeeAlso) -> None:
    """The related entry's answer comes as a new message; the first answer keeps its buttons.
    Teaches nothing: the citizen had an answer already."""
    engine = services(context).current_engine()
    query = update.callback_query
    entry = engine.entry(tap.slug)
    if entry is None:
        await query.answer(texts.ENTRY_GONE)
        return
    await query.answer()
    await send_html(query.message, escape(engine.compose_answer(entry)))


async def on_feedback(update: Update, context: ContextTypes.DEFAULT_TYPE, tap: RateAnswer) -> None:
    """Helpful is recorded; not helpful also sends the question to staff."""
    svc = services(context)
    query = update.callback_query
    chat = update.effective_chat
    if not await asyncio.to_thread(_rate, svc, chat, tap):
        raise StaleButton
    await query.answer(texts.FEEDBACK_THANKS)
    await query.edit_message_reply_markup(reply_markup=None)
    if not tap.helpful:
        text = texts.FEEDBACK_ESCALATED.format(office_name=escape(svc.settings.office_name))
        await send_html(query.message, text)
