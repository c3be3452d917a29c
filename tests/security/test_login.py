"""Point 5: logins reveal no usernames, throttle the attacker rather than the account, believe
forwarded headers only from trusted proxies, and settings refuse weak secrets clearly."""

from __future__ import annotations

import statistics
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from sqlalchemy.engine import Engine

from admin_api.app import create_app
from knowledge_base.core.settings import ConfigurationError, Settings, load_settings
from tests.api_fixtures import STAFF, make_accounts

ATTACKER = ("203.0.113.66", 5000)
OFFICE = ("198.51.100.7", 5000)
PROXY = ("10.0.0.2", 5000)


@pytest.fixture
def make_client(database_url: str, engine: Engine):
    """Clients of one app (one throttle) seen from different addresses."""
    make_accounts(engine)
    apps: dict[str, object] = {}

    def build(client_address: tuple[str, int], **settings: object) -> httpx.AsyncClient:
        key = repr(sorted(settings.items()))
        if key not in apps:
            config = Settings(_env_file=None, database_url=database_url, **settings)
            apps[key] = create_app(config, engine)
        transport = httpx.ASGITransport(app=apps[key], client=client_address)
        return httpx.AsyncClient(transport=transport, base_url="http://api")

    return build


async def _login(client: httpx.AsyncClient, username: str, password: str, **headers) -> int:
    form = {"username": username, "password": password}
    return (await client.post("/auth/token", data=form, headers=headers)).status_code


async def test_wrong_passwords_from_one_address_do_not_lock_the_account_elsewhere(
    make_client,
) -> None:
    async with make_client(ATTACKER) as attacker, make_client(OFFICE) as office:
        tries = [await _login(attacker, STAFF[0], "tebakan-salah") for _ in range(6)]
        from_office = await _login(office, *STAFF)

    assert tries[:5] == [401] * 5
    assert tries[5] == 429
    assert from_office == 200


async def test_password_spraying_from_one_address_is_stopped(make_client) -> None:
    async with make_client(ATTACKER, login_address_attempts=8) as attacker:
        tries = [await _login(attacker, f"user{i}", "tebakan-salah") for i in range(9)]

    assert tries[:8] == [401] * 8
    assert tries[8] == 429


async def test_a_distributed_attack_on_one_account_hits_the_ceiling(make_client) -> None:
    codes = []
    for i in range(7):
        async with make_client((f"203.0.113.{i + 1}", 5000), login_account_ceiling=6) as client:
            codes.append(await _login(client, STAFF[0], "tebakan-salah"))

    assert codes[:6] == [401] * 6
    assert codes[6] == 429


async def test_forwarded_for_from_an_untrusted_peer_does_not_bypass_the_throttle(
    make_client,
) -> None:
    async with make_client(("127.0.0.1", 5000)) as client:
        codes = [
            await _login(client, STAFF[0], "salah-lagi", **{"X-Forwarded-For": f"192.0.2.{i}"})
            for i in range(6)
        ]

    assert codes[5] == 429


async def test_forwarded_for_from_a_trusted_proxy_names_the_client(make_client) -> None:
    async with make_client(PROXY, trusted_proxies="10.0.0.0/8") as proxied:
        attacker = {"X-Forwarded-For": ATTACKER[0]}
        office = {"X-Forwarded-For": OFFICE[0]}
        tries = [await _login(proxied, STAFF[0], "salah", **attacker) for _ in range(6)]
        from_office = await _login(proxied, *STAFF, **office)

    assert tries[5] == 429
    assert from_office == 200


@pytest_asyncio.fixture
async def unthrottled(database_url: str, engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    make_accounts(engine)
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        login_attempts=1000,
        login_address_attempts=1000,
        login_account_ceiling=1000,
    )
    transport = httpx.ASGITransport(app=create_app(settings, engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        yield client


async def _seconds(client: httpx.AsyncClient, username: str) -> float:
    started = time.perf_counter()
    assert await _login(client, username, "kata-sandi-salah") == 401
    return time.perf_counter() - started


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_unknown_and_known_usernames_take_the_same_time(unthrottled) -> None:
    await _seconds(unthrottled, "tidak-ada")  # warm up (the dummy hash is made lazily)
    unknown, known = [], []

    # Interleaved, so a busy machine slows both kinds of attempt alike.
    for _ in range(50):
        unknown.append(await _seconds(unthrottled, "tidak-ada"))
        known.append(await _seconds(unthrottled, STAFF[0]))

    median_unknown, median_known = statistics.median(unknown), statistics.median(known)
    assert abs(median_unknown - median_known) / median_known < 0.20, (unknown, known)


def test_a_token_without_expiry_is_refused_by_the_reader() -> None:
    import jwt

    from admin_api.security import read_access_token

    settings = Settings(_env_file=None)
    token = jwt.encode({"sub": "1"}, settings.secret_key.get_secret_value(), algorithm="HS256")

    assert read_access_token(settings, token) is None


@pytest.mark.parametrize(
    "secret", [" " * 32, "a" * 40, " padded-secret-with-32-characters-x ", "short"]
)
def test_production_refuses_a_weak_secret(secret: str) -> None:
    with pytest.raises(ConfigurationError, match="TANYAPEMILU_SECRET_KEY"):
        load_settings(_env_file=None, environment="production", secret_key=secret)


def test_production_accepts_a_random_secret() -> None:
    secret = "9f2c4e7a1b8d3f6e0a5c2b9d7e4f1a3c"

    assert load_settings(_env_file=None, environment="production", secret_key=secret)


@pytest.mark.parametrize(
    ("username", "password"), [("admin", ""), ("admin", "   "), ("", "x" * 12)]
)
def test_an_empty_admin_bootstrap_value_is_refused(username: str, password: str) -> None:
    with pytest.raises(ConfigurationError, match="TANYAPEMILU_ADMIN"):
        load_settings(_env_file=None, admin_username=username, admin_password=password)


def test_an_untrusted_proxy_setting_that_is_not_an_address_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="TANYAPEMILU_TRUSTED_PROXIES"):
        load_settings(_env_file=None, trusted_proxies="proxy.example.org")
