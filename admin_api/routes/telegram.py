"""The Telegram webhook: checks the secret, queues the update, answers at once."""

from __future__ import annotations

import hmac
import logging
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response
from telegram import Update

from admin_api.deps import SettingsDep

logger = logging.getLogger(__name__)
router = APIRouter(tags=["telegram"])
WEBHOOK_PATH = "/telegram/webhook"


def _error(status: int, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail})


@router.post(WEBHOOK_PATH, include_in_schema=False)
async def telegram_webhook(
    request: Request,
    settings: SettingsDep,
    secret: Annotated[str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token")] = None,
) -> Response:
    """Put a Telegram update on the bot's queue; 403 without the right secret token."""
    expected = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not expected or not hmac.compare_digest((secret or "").encode(), expected.encode()):
        return _error(403, "Token rahasia webhook tidak valid.")
    application = getattr(request.app.state, "telegram", None)
    if application is None:
        return _error(503, "Bot Telegram tidak aktif.")
    try:
        update = Update.de_json(await request.json(), application.bot)
    except (ValueError, TypeError, KeyError, AttributeError):
        logger.warning("rejected a malformed webhook payload")
        return _error(400, "Data pembaruan Telegram tidak valid.")
    if update is None:
        return _error(400, "Data pembaruan Telegram tidak valid.")
    await application.update_queue.put(update)
    return Response(status_code=200)
