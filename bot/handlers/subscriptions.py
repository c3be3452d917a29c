"""/langganan and /berhenti: announcement subscriptions with kecamatan preferences."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ContextTypes

from bot import keyboards, texts
from bot.callbacks import Callback
from bot.formatting import escape
from bot.handlers.common import is_private, send_html
from bot.services import services
from knowledge_base.conversations import set_subscription, touch_chat

ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


async def _may_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In a private chat the citizen; in a group only its admins."""
    if is_private(update):
        return True
    member = await context.bot.get_chat_member(update.effective_chat.id, update.effective_user.id)
    return member.status in ADMIN_STATUSES


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen (or a group admin) chooses kecamatan, then confirms."""
    if not await _may_change(update, context):
        await send_html(update.effective_message, texts.GROUP_ONLY_ADMIN)
        return
    services(context).pending_areas[update.effective_chat.id] = set()
    await send_html(update.effective_message, texts.SUBSCRIBE_CHOOSE, keyboards.areas(set()))


async def on_area(update: Update, context: ContextTypes.DEFAULT_TYPE, data: Callback) -> None:
    """Toggle a kecamatan, choose all, or finish and save the subscription."""
    svc = services(context)
    query = update.callback_query
    if not await _may_change(update, context):
        await query.answer(texts.GROUP_ONLY_ADMIN, show_alert=True)
        return
    chat = update.effective_chat
    chosen = svc.pending_areas.setdefault(chat.id, set())
    choice = data.args[0] if data.args else "done"
    if choice.isdigit() and int(choice) < len(texts.KECAMATAN):
        chosen.symmetric_difference_update({int(choice)})
        await query.answer()
        await query.edit_message_reply_markup(reply_markup=keyboards.areas(chosen))
        return
    areas = [] if choice == "all" else [texts.KECAMATAN[i] for i in sorted(chosen)]
    with svc.session() as session:
        row = touch_chat(session, telegram_chat_id=chat.id, kind=chat.type)
        set_subscription(
            session, chat=row, subscribed=True, areas=areas, by_user=update.effective_user.id
        )
        session.commit()
    svc.pending_areas.pop(chat.id, None)
    await query.answer()
    label = ", ".join(areas) if areas else texts.ALL_AREAS
    office = escape(svc.settings.office_name)
    await query.edit_message_text(
        texts.SUBSCRIBED.format(office_name=office, areas=escape(label)), parse_mode="HTML"
    )


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen (or a group admin) stops receiving announcements."""
    if not await _may_change(update, context):
        await send_html(update.effective_message, texts.GROUP_ONLY_ADMIN)
        return
    svc = services(context)
    chat = update.effective_chat
    with svc.session() as session:
        row = touch_chat(session, telegram_chat_id=chat.id, kind=chat.type)
        was_subscribed = row.subscribed
        set_subscription(session, chat=row, subscribed=False, areas=[], by_user=None)
        session.commit()
    await send_html(
        update.effective_message, texts.UNSUBSCRIBED if was_subscribed else texts.NOT_SUBSCRIBED
    )
