"""Tautkan Telegram: a staff member links their own Telegram account (where test copies of
announcements go) with a one-time code sent to the bot as ``/tautkan KODE``, or unlinks it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from admin_api.console.deps import ConsoleDb, ConsoleStaff
from admin_api.console.rendering import render, see_other
from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import StaffUser
from knowledge_base.staff.telegram_link import (
    LINK_CODE_MINUTES,
    issue_link_code,
    pending_code_expiry,
    unlink_telegram_account,
)

router = APIRouter()
LINK_PATH = "/staf/akun/telegram"
UNLINKED = "Tautan Telegram telah dilepas. Salinan uji tidak lagi dikirim ke akun itu."


def bot_username(messenger: object | None) -> str | None:
    """The running bot's @username, when its sender knows it (read without importing the
    bot front: a ``bot`` attribute with a ``username``); ``None`` otherwise."""
    try:
        name = getattr(getattr(messenger, "bot", None), "username", None)
    except RuntimeError:  # python-telegram-bot before its first getMe
        return None
    return name if isinstance(name, str) and name else None


def _link_page(request: Request, staff: StaffUser, code: str | None = None) -> Response:
    page = {
        "title": "Tautkan Telegram",
        "linked": staff.telegram_user_id is not None,
        "code": code,
        "expires": staff.telegram_link_expires_at if code else pending_code_expiry(staff),
        "bot_username": bot_username(request.app.state.messenger),
        "minutes": LINK_CODE_MINUTES,
    }
    return render(request, "telegram_link.html", page)


@router.get("/akun/telegram")
def link_status(request: Request, staff: ConsoleStaff) -> Response:
    """Whether my Telegram account is linked, and how to link it."""
    return _link_page(request, staff)


@router.post("/akun/telegram/kode")
def new_link_code(request: Request, staff: ConsoleStaff, db: ConsoleDb) -> Response:
    """A new one-time code (an earlier one stops working), shown on this answer only: only its
    hash is stored."""
    code = issue_link_code(db, staff)
    record_action(
        db, staff=staff, action="staff.telegram_code", resource_type="staff", resource_id=staff.id
    )
    db.commit()
    return _link_page(request, staff, code)


@router.post("/akun/telegram/lepas")
def unlink(request: Request, staff: ConsoleStaff, db: ConsoleDb) -> Response:
    """Lepaskan tautan: test copies no longer go to that Telegram account."""
    unlink_telegram_account(db, staff)
    record_action(
        db, staff=staff, action="staff.telegram_unlink", resource_type="staff", resource_id=staff.id
    )
    db.commit()
    return see_other(request, LINK_PATH, success=UNLINKED)
