"""The Telegram webhook route: checks the secret, drops repeated updates, queues the rest.

It belongs to the bot; the composition root mounts it on the staff API's web server.
"""

from __future__ import annotations

import hmac
import logging
from collections import OrderedDict
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response
from telegram import Update
from telegram.ext import Application

logger = logging.getLogger(__name__)
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


def _error(status: int, message: str) -> JSONResponse:
    # The staff API's one error shape, so every error of the web server looks the same.
    return JSONResponse(
        status_code=status, content={"error": {"code": status, "message": message, "fields": {}}}
    )


def webhook_router(application: Application, secret: str) -> APIRouter:
    """A router with the webhook route feeding ``application``'s update queue."""
    router = APIRouter(tags=["telegram"])
    recent = RecentUpdateIds()

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def telegram_webhook(
        request: Request,
        token: Annotated[str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token")] = None,
    ) -> Response:
        """Put a Telegram update on the bot's queue; 403 without the right secret token."""
        if not secret or not hmac.compare_digest((token or "").encode(), secret.encode()):
            return _error(403, "Token rahasia webhook tidak valid.")
        try:
            update = Update.de_json(await request.json(), application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            logger.warning("rejected a malformed webhook payload")
            return _error(400, "Data pembaruan Telegram tidak valid.")
        if update is None:
            return _error(400, "Data pembaruan Telegram tidak valid.")
        if not recent.first_time(update.update_id):
            logger.info("ignored update %s: already received", update.update_id)
            return Response(status_code=200)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return router
