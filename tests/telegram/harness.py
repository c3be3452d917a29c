"""Drives the real bot Application against the fake Bot API server, as a citizen would."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application

from bot.application import start_application, stop_application
from tests.telegram.fake_server import BOT_ID, BOT_USERNAME, FakeTelegram, SentCall

_ids = itertools.count(1000)


def user(user_id: int, name: str = "Warga") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name}


def chat(chat_id: int, kind: str = "private") -> dict[str, Any]:
    data: dict[str, Any] = {"id": chat_id, "type": kind}
    if kind == "private":
        data["first_name"] = "Warga"
    else:
        data["title"] = "Grup Warga"
    return data


def text_message(
    chat_id: int,
    text: str,
    *,
    kind: str = "private",
    user_id: int | None = None,
    reply_to_bot: bool = False,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": chat(chat_id, kind),
        "from": user(user_id or chat_id),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    if reply_to_bot:
        message["reply_to_message"] = {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": chat(chat_id, kind),
            "from": {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "TanyaPemilu",
                "username": BOT_USERNAME,
            },
            "text": "Halo",
        }
    return message


@dataclass
class Citizen:
    """One chat talking to the bot through the fake server."""

    fake: FakeTelegram
    chat_id: int
    kind: str = "private"
    user_id: int | None = None
    seen: int = field(default=0)

    def _new_calls(self) -> list[SentCall]:
        mine = [
            c
            for c in self.fake.calls
            if c.params.get("chat_id") == self.chat_id
            or (
                c.method == "answerCallbackQuery"
                and c.params.get("callback_query_id", "").startswith(f"{self.chat_id}-")
            )
        ]
        return mine[self.seen :]

    async def expect(
        self, count: int = 1, timeout: float = 10.0, method: str | None = None
    ) -> list[SentCall]:
        """Wait for ``count`` new calls to this chat (of ``method`` if given)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self._new_calls()
            relevant = [c for c in calls if method is None or c.method == method]
            if len(relevant) >= count:
                self.seen += len(calls)
                return relevant
            await asyncio.sleep(0.02)
        raise AssertionError(
            f"expected {count} call(s) to chat {self.chat_id}, got {self._new_calls()}"
        )

    async def quiet(self, seconds: float = 0.5) -> None:
        """Assert the bot sends nothing to this chat for ``seconds``."""
        await asyncio.sleep(seconds)
        assert self._new_calls() == [], self._new_calls()

    def say(self, text: str, **kwargs: Any) -> int:
        """Send a text message; returns the update id."""
        return self.fake.push_update(
            {
                "message": text_message(
                    self.chat_id, text, kind=self.kind, user_id=self.user_id, **kwargs
                )
            }
        )

    async def ask(self, text: str, **kwargs: Any) -> SentCall:
        """Send a message and return the bot's one reply."""
        self.say(text, **kwargs)
        return (await self.expect(1, method="sendMessage"))[0]

    def edit(self, text: str) -> int:
        message = text_message(self.chat_id, text, kind=self.kind, user_id=self.user_id)
        message["edit_date"] = int(time.time())
        return self.fake.push_update({"edited_message": message})

    def send_raw(self, message_fields: dict[str, Any]) -> int:
        message = {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": chat(self.chat_id, self.kind),
            "from": user(self.user_id or self.chat_id),
            **message_fields,
        }
        return self.fake.push_update({"message": message})

    def tap(self, data: str, on: SentCall | None = None) -> int:
        """Tap an inline button with callback ``data`` under the bot's message ``on``."""
        message = {
            "message_id": 1 if on is None else next(_ids),
            "date": int(time.time()),
            "chat": chat(self.chat_id, self.kind),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "TanyaPemilu"},
            "text": on.params.get("text", "x") if on else "x",
        }
        query = {
            "id": f"{self.chat_id}-{next(_ids)}",
            "from": user(self.user_id or self.chat_id),
            "chat_instance": str(self.chat_id),
            "data": data,
            "message": message,
        }
        return self.fake.push_update({"callback_query": query})


def buttons(call: SentCall) -> list[tuple[str, str]]:
    """(label, callback data) of every inline button in a sent message."""
    markup = call.params.get("reply_markup") or {}
    return [
        (b["text"], b.get("callback_data", ""))
        for row in markup.get("inline_keyboard", [])
        for b in row
    ]


async def start_polling(app: Application) -> None:
    await start_application(app)
    await app.updater.start_polling(poll_interval=0.0, timeout=1)


async def stop_polling(app: Application) -> None:
    await stop_application(app)
