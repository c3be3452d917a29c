"""Where test copies of announcements go: the staff member's linked Telegram account, linked
with a code that stays valid for a while, and the bot named on the link page when known."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from admin_api.console.pages.telegram_link import bot_username
from knowledge_base.announcements.models import Announcement
from knowledge_base.announcements.workflow import copy_for_test
from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import session_scope
from knowledge_base.staff.models import StaffUser
from knowledge_base.staff.telegram_link import issue_link_code, pending_code_expiry


def test_a_code_just_issued_is_pending_until_it_expires(engine) -> None:
    now = utcnow()
    with session_scope(engine) as session:
        staff = StaffUser(username="ppid1", password_hash="-")
        session.add(staff)
        issue_link_code(session, staff, now=now)

        assert pending_code_expiry(staff, now=now) == now + timedelta(minutes=15)
        assert pending_code_expiry(staff, now=now + timedelta(minutes=16)) is None


def test_no_code_is_pending_before_one_is_issued() -> None:
    assert pending_code_expiry(StaffUser(username="ppid1", password_hash="-")) is None


def test_a_test_copy_is_the_announcement_marked_as_a_test() -> None:
    item = Announcement(title="A & B", body="<b>Halo</b>")

    assert copy_for_test(item) == "<b>[UJI]</b> <b>A &amp; B</b>\n\n<b>Halo</b>"


def test_the_bot_is_named_when_its_sender_knows_its_username() -> None:
    assert bot_username(SimpleNamespace(bot=SimpleNamespace(username="TanyaPemiluBot"))) == (
        "TanyaPemiluBot"
    )


class _UninitialisedBot:
    @property
    def username(self) -> str:
        raise RuntimeError("not initialized")


def test_the_bot_is_not_named_without_a_sender_or_before_it_knows_itself() -> None:
    assert bot_username(None) is None
    assert bot_username(SimpleNamespace(bot=_UninitialisedBot())) is None
