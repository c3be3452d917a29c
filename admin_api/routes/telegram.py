"""The Telegram webhook: checks the secret, queues the update, answers at once."""

from __future__ import annotations

import hmac
import logging
from collections import OrderedDict
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response
from telegram import Update

from admin_api.deps import SettingsDep
from admin_api.errors import error_body

logger = logging.getLogger(__name__)
router = APIRouter(tags=["telegram"])
WEBHOOK_PATH = "/telegram/webhook"


RECENT_UPDATES_KEPT = 10_000


class RecentUpdateIds:
    """The last update ids queued, so an update Telegram (or anyone) delivers twice is
    processed once."""

    def __init__(self, size: int = RECENT_UPDATES_KEPT) -> None:
        self.size = size
        self._seen: OrderedDict[int, None] = OrderedDict()

    def first_time(self, update_id: int) -> bool:
        """Record ``update_id``; ``False`` when it was seen before."""
        if update_id in self._seen:
            return False
        self._seen[update_id] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True


def _error(status: int, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content=error_body(status, detail))


def _recent_updates(request: Request) -> RecentUpdateIds:
    return request.app.state.recent_updates


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
    if not _recent_updates(request).first_time(update.update_id):
        logger.info("ignored update %s: already received", update.update_id)
        return Response(status_code=200)
    await application.update_queue.put(update)
    return Response(status_code=200)
