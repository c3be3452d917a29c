"""Kotak masuk: where staff land after logging in (a placeholder until the inbox is built)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from admin_api.console.deps import ConsoleStaff
from admin_api.console.rendering import render

router = APIRouter()


@router.get("/kotak-masuk")
def inbox(request: Request, staff: ConsoleStaff) -> Response:
    """The inbox page."""
    return render(request, "inbox.html", {"title": "Kotak masuk"})
