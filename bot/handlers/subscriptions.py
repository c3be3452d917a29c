"""/langganan and /berhenti: announcement subscriptions with kecamatan preferences."""

from __future__ import annotations

import asyncio

from telegram import Chat, Update
from telegram.ext import ContextTypes

from bot import keyboards, texts
from bot.callbacks import FinishAreas, StaleButton, ToggleArea
from bot.formatting import escape
from bot.handlers.common import may_manage_chat, send_html
from bot.services import BotServices, services
from knowledge_base.conversations.service import set_subscription, touch_chat

# Areas chosen so far in an open /langganan menu, kept in the chat's PTB chat_data.
PENDING_AREAS = "pending_areas"


def _save(svc: BotServices, chat: Chat, areas: list[str], by_user: int) -> None:
    with svc.session() as session:
        row = touch_chat(session, telegram_chat_id=chat.id, kind=chat.type)
        set_subscription(session, chat=row, subscribed=True, areas=areas, by_user=by_user)
        session.commit()


def _stop(svc: BotServices, chat: Chat) -> bool:
    """Unsubscribe the chat; whether it was subscribed."""
    with svc.session() as session:
        row = touch_chat(session, telegram_chat_id=chat.id, kind=chat.type)
        was_subscribed = row.subscribed
        set_subscription(session, chat=row, subscribed=False, areas=[], by_user=None)
        session.commit()
        return was_subscribed


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen (or a group admin) chooses kecamatan, then confirms."""
    if not await may_manage_chat(update, context):
        await send_html(update.effective_message, texts.GROUP_ONLY_ADMIN)
        return
    svc = services(context)
    context.chat_data[PENDING_AREAS] = set()
    menu = keyboards.areas(svc.office.areas, set())
    await send_html(update.effective_message, texts.SUBSCRIBE_CHOOSE, menu)


async def on_area(
    update: Update, context: ContextTypes.DEFAULT_TYPE, tap: ToggleArea | FinishAreas
) -> None:
    """Toggle a kecamatan, or finish (all or the chosen ones) and save the subscription."""
    svc = services(context)
    query = update.callback_query
    if not await may_manage_chat(update, context):
        await query.answer(texts.GROUP_ONLY_ADMIN, show_alert=True)
        return
    chat = update.effective_chat
    if isinstance(tap, ToggleArea):
        chosen = context.chat_data.setdefault(PENDING_AREAS, set())
        chosen.symmetric_difference_update({tap.index})
        await query.answer()
        await query.edit_message_reply_markup(
            reply_markup=keyboards.areas(svc.office.areas, chosen)
        )
        return
    chosen = context.chat_data.get(PENDING_AREAS)
    if chosen is None and not tap.all_areas:
        raise StaleButton  # the choice was lost (a restart): saving would mean "all areas"
    areas = [] if tap.all_areas else [svc.office.areas[i] for i in sorted(chosen)]
    await asyncio.to_thread(_save, svc, chat, areas, update.effective_user.id)
    context.chat_data.pop(PENDING_AREAS, None)
    await query.answer()
    label = ", ".join(areas) if areas else texts.ALL_AREAS
    office = escape(svc.settings.office_name)
    await query.edit_message_text(
        texts.SUBSCRIBED.format(office_name=office, areas=escape(label)), parse_mode="HTML"
    )


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen (or a group admin) stops receiving announcements."""
    if not await may_manage_chat(update, context):
        await send_html(update.effective_message, texts.GROUP_ONLY_ADMIN)
        return
    was_subscribed = await asyncio.to_thread(_stop, services(context), update.effective_chat)
    await send_html(
        update.effective_message, texts.UNSUBSCRIBED if was_subscribed else texts.NOT_SUBSCRIBED
    )
