"""A small ASGI helper shared by the guards that answer errors themselves."""

from __future__ import annotations

from starlette.types import Message, Send


class TrackedSend:
    """Wraps an ASGI ``send`` and remembers whether the response has started, so a guard that
    catches a failure knows whether it may still answer with an error of its own."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self._send(message)
