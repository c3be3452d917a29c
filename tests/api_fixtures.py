"""Fixtures for the staff API: an app on a migrated database, accounts and their tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from sqlalchemy.engine import Engine

from admin_api.app import create_app
from knowledge_base.core.db import session_scope
from knowledge_base.core.settings import Settings
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole

ADMIN = ("admin1", "kata-sandi-admin-1")
STAFF = ("ppid1", "kata-sandi-ppid-1")


def make_accounts(engine: Engine) -> None:
    with session_scope(engine) as session:
        create_staff(session, username=ADMIN[0], password=ADMIN[1], role=StaffRole.ADMIN)
        create_staff(session, username=STAFF[0], password=STAFF[1], role=StaffRole.STAFF)


async def login(client: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    response = await client.post("/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest_asyncio.fixture
async def api(database_url: str, engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    """The staff API (no Telegram) on this test's database, with an admin and a staff account."""
    make_accounts(engine)
    settings = Settings(_env_file=None, database_url=database_url)
    app = create_app(settings, engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        yield client
