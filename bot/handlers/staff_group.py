"""The staff group: cards of escalated questions with buttons, answering by replying to a card,
the reason for a dismissal asked as a reply, and ``/jadikangrupstaf``."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from telegram import ForceReply, Message, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import texts
from bot.formatting import escape
from bot.handlers.common import send_html
from bot.services import BotServices, services
from knowledge_base.answering.loader import office_from
from knowledge_base.followup.models import UnansweredQuestion
from knowledge_base.staffgroup.cards import CardAction, CardTap, question_of_card
from knowledge_base.staffgroup.flows import (
    Result,
    StaffGroupContext,
    answer_by_reply,
    dismiss_by_reply,
    draft_entry,
    take,
)
from knowledge_base.staffgroup.service import (
    NotAnAdmin,
    choose_staff_group,
    linked_staff,
    staff_group_chat_id,
)

_DISMISS_PROMPT = re.compile(r"^Alasan penolakan pertanyaan #([1-9][0-9]{0,9})\?")
RESULT_TEXTS = {
    Result.NOT_STAFF: texts.STAFF_NOT_LINKED,
    Result.CLOSED: texts.STAFF_QUESTION_CLOSED,
    Result.EMPTY: texts.STAFF_REPLY_EMPTY,
    Result.TOO_LONG: texts.STAFF_REPLY_TOO_LONG,
    Result.NOT_ANSWERED: texts.STAFF_NOT_ANSWERED,
}


def _context(svc: BotServices) -> StaffGroupContext:
    return StaffGroupContext(settings=svc.settings, office=office_from(svc.settings))


def _in_staff_group(svc: BotServices, telegram_chat_id: int) -> bool:
    with svc.session() as session:
        return staff_group_chat_id(session, svc.settings) == telegram_chat_id


def _run(svc: BotServices, question_id: int, step: Callable[..., object]) -> object:
    """Run one staff step on the question in its own transaction (committed when it worked)."""
    with svc.session() as session:
        question = session.get(UnansweredQuestion, question_id)
        if question is None:
            return Result.CLOSED
        outcome = step(session, _context(svc), question)
        result = outcome[0] if isinstance(outcome, tuple) else outcome
        if result == Result.DONE:
            session.commit()
        return outcome


async def choose_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/jadikangrupstaf`` in a group, from a linked admin."""
    chat, message = update.effective_chat, update.effective_message
    if chat.type not in (chat.GROUP, chat.SUPERGROUP):
        await send_html(message, texts.STAFF_GROUP_GROUPS_ONLY)
        return
    svc = services(context)

    def choose() -> bool:
        with svc.session() as session:
            try:
                choose_staff_group(
                    session, telegram_chat_id=chat.id, telegram_user_id=update.effective_user.id
                )
            except NotAnAdmin:
                return False
            session.commit()
            return True

    chosen = await asyncio.to_thread(choose)
    await send_html(message, texts.STAFF_GROUP_SET if chosen else texts.STAFF_GROUP_NOT_ADMIN)


async def on_card_tap(update: Update, context: ContextTypes.DEFAULT_TYPE, tap: CardTap) -> None:
    """*Ambil*, *Tolak* (asks for the reason) and *Jadikan draf* under a card."""
    svc = services(context)
    query = update.callback_query
    user_id = update.effective_user.id
    if not await asyncio.to_thread(_in_staff_group, svc, update.effective_chat.id):
        await query.answer(texts.STALE_BUTTON)
        return
    if tap.action == CardAction.DISMISS:
        await _ask_dismiss_reason(update, tap, svc)
        return
    if tap.action == CardAction.TAKE:
        result = await asyncio.to_thread(
            _run, svc, tap.question_id, lambda s, c, q: take(s, c, q, user_id)
        )
        done = texts.STAFF_TAKEN.format(question_id=tap.question_id)
        await query.answer(done if result == Result.DONE else _plain(RESULT_TEXTS[result]))
        return
    result, slug = await asyncio.to_thread(
        _run, svc, tap.question_id, lambda s, c, q: draft_entry(s, c, q, user_id)
    )
    if result != Result.DONE:
        await query.answer(_plain(RESULT_TEXTS[result]), show_alert=True)
        return
    await query.answer()
    await send_html(query.message, texts.STAFF_DRAFTED.format(slug=escape(slug)))


async def _ask_dismiss_reason(update: Update, tap: CardTap, svc: BotServices) -> None:
    query = update.callback_query
    staff_ok = await asyncio.to_thread(_is_linked_staff, svc, update.effective_user.id)
    if not staff_ok:
        await query.answer(_plain(texts.STAFF_NOT_LINKED), show_alert=True)
        return
    await query.answer()
    await query.message.reply_text(
        texts.STAFF_DISMISS_PROMPT.format(question_id=tap.question_id),
        reply_markup=ForceReply(selective=True),
    )


def _is_linked_staff(svc: BotServices, telegram_user_id: int) -> bool:
    with svc.session() as session:
        return linked_staff(session, telegram_user_id) is not None


def _plain(text: str) -> str:
    """Callback alerts show plain text (no HTML)."""
    return re.sub(r"<[^>]+>", "", text)


async def on_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply in the staff group to a card (the answer) or to a dismissal prompt (the
    reason). Anything else, and every other chat, is left to the other handlers."""
    message = update.message
    replied = message.reply_to_message if message else None
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    svc = services(context)
    if not await asyncio.to_thread(_in_staff_group, svc, message.chat.id):
        return
    prompt = _DISMISS_PROMPT.match(replied.text or "")
    if prompt:
        await _dismiss(message, svc, int(prompt.group(1)))
    else:
        await _answer(message, svc, replied)
    raise ApplicationHandlerStop  # a staff reply is not a citizen's question


async def _answer(message: Message, svc: BotServices, card: Message) -> None:
    user_id, text = message.from_user.id, message.text or ""

    def answer() -> Result | None:
        with svc.session() as session:
            question = question_of_card(
                session, group_telegram_chat_id=message.chat.id, message_id=card.message_id
            )
            if question is None:
                return None
            result = answer_by_reply(session, _context(svc), question, user_id, text)
            if result == Result.DONE:
                session.commit()
            return result

    result = await asyncio.to_thread(answer)
    if result is None:
        return  # a reply to some other message of the bot
    await send_html(
        message, texts.STAFF_ANSWER_QUEUED if result == Result.DONE else RESULT_TEXTS[result]
    )


async def _dismiss(message: Message, svc: BotServices, question_id: int) -> None:
    user_id, reason = message.from_user.id, message.text or ""
    result = await asyncio.to_thread(
        _run, svc, question_id, lambda s, c, q: dismiss_by_reply(s, c, q, user_id, reason)
    )
    await send_html(
        message, texts.STAFF_DISMISSED if result == Result.DONE else RESULT_TEXTS[result]
    )
