"""An ASGI fake of the Telegram Bot API: records what the bot sends, feeds it updates, injects faults.

It speaks the Bot API's envelope (``{"ok": true, "result": ...}`` or ``{"ok": false,
"error_code", "description", "parameters"}``) on ``/bot<token>/<method>``, serves long polling
with offsets, and can fail per chat or per method (429 with ``retry_after``, 403, 400, 500,
delays). Tests run it with uvicorn on 127.0.0.1 and point the bot's ``base_url`` at it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BOT_ID = 777000
BOT_USERNAME = "TanyaPemiluBot"
_JSON_FIELDS = {
    "chat_id",
    "message_id",
    "reply_markup",
    "offset",
    "limit",
    "timeout",
    "allowed_updates",
    "commands",
    "show_alert",
    "link_preview_options",
    "reply_parameters",
    "max_connections",
    "drop_pending_updates",
    "scope",
    "entities",
    "disable_notification",
}


@dataclass
class Fault:
    """A failure to return instead of success, ``times`` times (``None``: always)."""

    status: int
    description: str
    retry_after: int | None = None
    times: int | None = 1
    delay: float = 0.0


@dataclass
class SentCall:
    """One call the bot made."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 0  # the HTTP status the fake answered with
    message_id: int | None = None  # of the message the call sent or edited, when it did


@dataclass
class FakeTelegram:
    """The server's state; tests read ``calls`` and push updates."""

    token: str = "123456:TEST"
    calls: list[SentCall] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    faults_by_method: dict[str, list[Fault]] = field(default_factory=lambda: defaultdict(list))
    faults_by_chat: dict[int, list[Fault]] = field(default_factory=lambda: defaultdict(list))
    webhook: dict[str, Any] = field(default_factory=dict)
    group_admins: set[int] = field(default_factory=set)
    _update_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _new_update: asyncio.Event | None = None
    _loop: asyncio.AbstractEventLoop | None = None

    # ---- what tests use -------------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for ``getUpdates``; returns its ``update_id``."""
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **update})
        if self._loop is not None and self._new_update is not None:
            self._loop.call_soon_threadsafe(self._new_update.set)
        return update_id

    def make_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """An update with a fresh ``update_id`` that is not queued (for webhooks)."""
        return {"update_id": next(self._update_ids), **update}

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[SentCall]:
        """Recorded calls of ``method``, optionally to one chat."""
        return [
            c
            for c in self.calls
            if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    def fail_method(self, method: str, fault: Fault) -> None:
        self.faults_by_method[method].append(fault)

    def fail_chat(self, chat_id: int, fault: Fault) -> None:
        self.faults_by_chat[chat_id].append(fault)

    # ---- the HTTP side --------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._handle, methods=["POST", "GET"]),
                # Control routes for a fake running in another process (benchmarks).
                Route("/control/updates", self._control_push, methods=["POST"]),
                Route("/control/calls/{method}", self._control_calls, methods=["GET"]),
            ]
        )

    async def _control_push(self, request: Request) -> JSONResponse:
        updates = await request.json()
        ids = [self.push_update(update) for update in updates]
        return JSONResponse({"update_ids": ids})

    async def _control_calls(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        calls = [
            {
                "chat_id": c.params.get("chat_id"),
                "at": c.at,
                "status": c.status,
                "text": c.params.get("text"),
            }
            for c in self.calls
            if c.method == method
        ]
        return JSONResponse(calls)

    async def _params(self, request: Request) -> dict[str, Any]:
        if request.headers.get("content-type", "").startswith("application/json"):
            return await request.json()
        # PTB sends url-encoded forms (no uploads here); parsed by hand to need no extra package.
        form = parse_qsl((await request.body()).decode(), keep_blank_values=True)
        params: dict[str, Any] = {}
        for key, value in form:
            if isinstance(value, str) and key in _JSON_FIELDS:
                try:
                    params[key] = json.loads(value)
                    continue
                except ValueError:
                    pass
            params[key] = value
        return params

    def _take_fault(self, method: str, chat_id: Any) -> Fault | None:
        for queue in (self.faults_by_chat.get(chat_id), self.faults_by_method.get(method)):
            if queue:
                fault = queue[0]
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        queue.pop(0)
                return fault
        return None

    async def _handle(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        params = await self._params(request)
        call = SentCall(method, params, time.monotonic())
        if method != "getUpdates":
            self.calls.append(call)
        response = await self._respond(method, params)
        call.status = response.status_code
        call.message_id = _result_message_id(response)
        return response

    async def _respond(self, method: str, params: dict[str, Any]) -> JSONResponse:
        fault = self._take_fault(method, params.get("chat_id"))
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.status != 200:
                return _error(fault.status, fault.description, fault.retry_after)
        return await self._dispatch(method, params)

    async def _dispatch(self, method: str, params: dict[str, Any]) -> JSONResponse:
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result = handler(params)
        if asyncio.iscoroutine(result):
            result = await result
        if isinstance(result, JSONResponse):
            return result
        return JSONResponse({"ok": True, "result": result})

    # ---- Bot API methods ------------------------------------------------------------------

    def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "TanyaPemilu",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._new_update = asyncio.Event()
        offset = int(params.get("offset") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates:
            self._new_update.clear()
            timeout = float(params.get("timeout") or 0)
            with suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout=min(timeout, 0.25))
        limit = int(params.get("limit") or 100)
        return [u for u in self.updates if u["update_id"] >= offset][:limit]

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            return _error(400, "Bad Request: chat_id is empty")
        text = params.get("text")
        if not text:
            return _error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        if params.get("parse_mode") == "HTML" and not _valid_telegram_html(text):
            return _error(400, "Bad Request: can't parse entities")
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "TanyaPemilu"},
            "text": text,
        }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message

    def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        return self._message(params)

    def _m_editMessageText(self, params: dict[str, Any]) -> Any:
        message = self._message(params)
        if isinstance(message, dict):
            message["message_id"] = params.get("message_id")
        return message

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        return {
            "message_id": params.get("message_id") or 1,
            "date": int(time.time()),
            "chat": {"id": params.get("chat_id"), "type": "private"},
            "text": "x",
        }

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    def _m_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    def _m_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = int(params.get("user_id"))
        member: dict[str, Any] = {
            "status": "member",
            "user": {"id": user_id, "is_bot": False, "first_name": "X"},
        }
        if user_id in self.group_admins:
            rights = (
                "can_be_edited is_anonymous can_manage_chat can_delete_messages "
                "can_manage_video_chats can_restrict_members can_promote_members can_change_info "
                "can_invite_users can_post_stories can_edit_stories can_delete_stories"
            )
            member.update({"status": "administrator", **dict.fromkeys(rights.split(), False)})
        return member

    def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token")}
        return True

    def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        return True

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }


def _error(status: int, description: str, retry_after: int | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return JSONResponse(body, status_code=status)


_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "blockquote",
    "span",
}


def _valid_telegram_html(text: str) -> bool:
    """Whether ``text`` parses as Telegram's HTML subset (tags balanced, entities escaped)."""
    stack: list[str] = []
    for match in re.finditer(r"<(/?)([a-zA-Z-]+)([^<>]*)>|<|>|&(#?\w+);?|&", text):
        whole = match.group(0)
        if whole in ("<", ">"):
            return False
        if whole.startswith("&"):
            entity = match.group(4)
            if entity not in {"lt", "gt", "amp", "quot"} and not (entity or "").startswith("#"):
                return False
            continue
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in _ALLOWED_TAGS:
            return False
        if closing:
            if not stack or stack.pop() != tag:
                return False
        else:
            stack.append(tag)
    return not stack


class ServerThread:
    """Runs an ASGI app with uvicorn on 127.0.0.1 and a free port in a background thread."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def port(self) -> int:
        return self.server.servers[0].sockets[0].getsockname()[1]

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _result_message_id(response: JSONResponse) -> int | None:
    result = json.loads(response.body).get("result")
    return result.get("message_id") if isinstance(result, dict) else None


@contextmanager
def running_fake_telegram(fake: FakeTelegram | None = None) -> Iterator[tuple[FakeTelegram, str]]:
    """A started fake server and the ``base_url`` to give the bot."""
    fake = fake or FakeTelegram()
    thread = ServerThread(fake.app())
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{thread.port}/bot"
    finally:
        thread.stop()


def main() -> None:
    """Run the fake on a port in this process (``python -m tests.telegram.fake_server PORT``)."""
    import sys

    fake = FakeTelegram()
    uvicorn.run(fake.app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")


if __name__ == "__main__":
    main()
