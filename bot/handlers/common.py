"""Helpers shared by handlers: addressing in groups, sending split HTML replies."""

from __future__ import annotations

from telegram import Chat, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.ext import ContextTypes

from bot.formatting import split_message

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == Chat.PRIVATE


def addressed_text(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question in a group message meant for the bot (mention or reply), else ``None``."""
    text = message.text or ""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    mention = f"@{bot_username}".casefold()
    if bot_username and mention in text.casefold():
        start = text.casefold().index(mention)
        return (text[:start] + text[start + len(mention) :]).strip()
    return None


async def send_html(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Reply with ``text`` (already valid HTML), split at Telegram's limit; buttons go last."""
    chunks = split_message(text)
    sent = message
    for number, chunk in enumerate(chunks, start=1):
        sent = await message.reply_text(
            chunk,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if number == len(chunks) else None,
            link_preview_options=NO_PREVIEW,
        )
    return sent


ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


async def may_manage_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the sender may change what the bot keeps for this chat (subscription, data):
    in a private chat the citizen; in a group only its admins."""
    if is_private(update):
        return True
    member = await context.bot.get_chat_member(update.effective_chat.id, update.effective_user.id)
    return member.status in ADMIN_STATUSES
