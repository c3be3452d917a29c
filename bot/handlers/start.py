"""/start and /bantuan: what the bot can do, the privacy note, the main menu."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards, texts
from bot.formatting import escape
from bot.handlers.common import send_html
from bot.services import services


def _office(context: ContextTypes.DEFAULT_TYPE) -> dict[str, str]:
    settings = services(context).settings
    return {"office_name": escape(settings.office_name)}


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen sees a greeting, the bot's scope, the privacy note and the main menu."""
    settings = services(context).settings
    text = (
        texts.START.format(**_office(context))
        + "\n\n"
        + texts.PRIVACY_NOTE.format(retention_days=settings.question_retention_days)
    )
    await send_html(update.effective_message, text, keyboards.main_menu())


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen sees how to ask and the list of commands."""
    await send_html(update.effective_message, texts.HELP.format(**_office(context)))
