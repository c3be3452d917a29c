"""The outside probe replayed against the staff API: no token, forged tokens, role escalation,
oversized bodies before authentication, hostile YAML and search wildcards."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from sqlalchemy.engine import Engine

from admin_api.app import create_app
from admin_api.middleware import is_public
from knowledge_base.core.settings import DEVELOPMENT_SECRET, Settings
from tests.api_fixtures import ADMIN, STAFF, login

PARAM = re.compile(r"\{[^}]+\}")


def _protected_operations() -> list[tuple[str, str]]:
    app = create_app(Settings(_env_file=None, database_url="sqlite://"), engine=None)
    return sorted(
        (method.upper(), PARAM.sub("1", path))
        for path, operations in app.openapi()["paths"].items()
        if not is_public(path)
        for method in operations
    )


PROTECTED = _protected_operations()


def _token(payload: dict, secret: str = DEVELOPMENT_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(payload, secret, algorithm=algorithm)


def _later(minutes: int = 30) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


FORGED_TOKENS = {
    "none algorithm": jwt.encode({"sub": "1", "exp": _later()}, None, algorithm="none"),
    "wrong secret": _token({"sub": "1", "exp": _later()}, secret="x" * 40),
    "expired": _token({"sub": "1", "exp": datetime.now(UTC) - timedelta(seconds=5)}),
    "without exp": _token({"sub": "1"}),
    "sub not a number": _token({"sub": "admin", "exp": _later()}),
    "no sub": _token({"exp": _later()}),
    "tampered": _token({"sub": "1", "exp": _later()})[:-3] + "abc",
    "garbage": "not-a-jwt",
}


def test_the_probe_covers_every_protected_route() -> None:
    assert len(PROTECTED) >= 30


@pytest.mark.parametrize(("method", "path"), PROTECTED)
async def test_every_protected_route_refuses_a_request_without_a_token(
    api: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await api.request(method, path, json={})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401


@pytest.mark.parametrize("name", FORGED_TOKENS)
async def test_a_forged_token_is_refused(api: httpx.AsyncClient, name: str) -> None:
    headers = {"Authorization": f"Bearer {FORGED_TOKENS[name]}"}

    response = await api.get("/staff/me", headers=headers)

    assert response.status_code == 401


async def test_a_valid_token_still_works(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)

    assert (await api.get("/staff/me", headers=headers)).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/staff", None),
        ("POST", "/staff", {"username": "baru1", "password": "kata-sandi-baru-1", "role": "admin"}),
        ("POST", "/staff/1/deactivate", None),
        ("GET", "/audit", None),
        ("DELETE", "/kb/stages/1", None),
    ],
)
async def test_a_staff_account_cannot_use_admin_routes(
    api: httpx.AsyncClient, method: str, path: str, body: dict | None
) -> None:
    headers = await login(api, *STAFF)

    response = await api.request(method, path, json=body, headers=headers)

    assert response.status_code == 403


class _CountingReceive:
    """An ASGI body source that records how much of a large body the app asked for."""

    def __init__(self, size: int, chunk: int = 64 * 1024) -> None:
        self.remaining, self.chunk, self.consumed = size, chunk, 0

    async def __call__(self) -> dict:
        part = min(self.chunk, self.remaining)
        self.remaining -= part
        self.consumed += part
        return {"type": "http.request", "body": b"x" * part, "more_body": self.remaining > 0}


async def _call_asgi(app, path: str, size: int, headers: dict[str, str]) -> tuple[int, int, dict]:
    receive = _CountingReceive(size)
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("203.0.113.9", 4000),
        "server": ("api", 80),
    }
    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, receive.consumed, json.loads(body)


@pytest.fixture
def api_app(database_url: str, engine: Engine):
    from tests.api_fixtures import make_accounts

    make_accounts(engine)
    return create_app(Settings(_env_file=None, database_url=database_url), engine)


async def test_an_anonymous_oversized_body_is_refused_before_it_is_read(api_app) -> None:
    size = 200 * 1024 * 1024
    headers = {"content-type": "application/json", "content-length": str(size)}

    status, consumed, body = await _call_asgi(api_app, "/kb/test", size, headers)

    assert status == 401
    assert consumed == 0
    assert body["error"]["code"] == 401


async def test_an_authenticated_oversized_body_is_refused_with_413(api_app) -> None:
    transport = httpx.ASGITransport(app=api_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        headers = await login(client, *STAFF)
    size = 200 * 1024 * 1024
    headers = {**headers, "content-type": "application/json", "content-length": str(size)}

    status, consumed, body = await _call_asgi(api_app, "/kb/test", size, headers)

    assert status == 413
    assert consumed == 0
    assert body["error"]["code"] == 413


async def test_a_streamed_body_without_length_stops_at_the_limit(api_app) -> None:
    transport = httpx.ASGITransport(app=api_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        headers = await login(client, *STAFF)
    size = 50 * 1024 * 1024
    headers = {**headers, "content-type": "application/json"}

    status, consumed, body = await _call_asgi(api_app, "/kb/test", size, headers)

    assert status == 413
    assert consumed < 1024 * 1024
    assert "terlalu besar" in body["error"]["message"]


async def test_a_body_within_the_route_limit_is_accepted(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)

    response = await api.post("/kb/test", json={"question": "cek dpt"}, headers=headers)

    assert response.status_code == 200


async def test_a_stage_list_longer_than_the_cap_is_refused(api: httpx.AsyncClient) -> None:
    headers = await login(api, *ADMIN)
    stage = {"election": "Pilkada Uji", "start": "2030-01-01", "end": "2030-01-02"}
    stages = [{**stage, "stage": f"Tahap {i:03d}"} for i in range(201)]

    response = await api.put("/kb/stages", json=stages, headers=headers)

    assert response.status_code == 422


async def test_an_admin_can_delete_a_stage(api: httpx.AsyncClient) -> None:
    headers = await login(api, *ADMIN)
    stage = {"election": "Pilkada Uji", "stage": "Tahap hapus", "start": "2030-01-01"}
    listed = await api.put("/kb/stages", json=[{**stage, "end": "2030-01-02"}], headers=headers)
    stage_id = next(s["id"] for s in listed.json() if s["stage"] == "Tahap hapus")

    deleted = await api.delete(f"/kb/stages/{stage_id}", headers=headers)

    assert deleted.status_code == 204
    remaining = (await api.get("/kb/stages", headers=headers)).json()
    assert all(s["id"] != stage_id for s in remaining)


async def test_a_stage_a_pending_announcement_is_timed_from_cannot_be_deleted(
    api: httpx.AsyncClient,
) -> None:
    headers = await login(api, *ADMIN)
    stage = {"election": "Pilkada Uji", "stage": "Tahap dipakai", "start": "2030-01-01"}
    listed = await api.put("/kb/stages", json=[{**stage, "end": "2030-01-02"}], headers=headers)
    stage_id = next(s["id"] for s in listed.json() if s["stage"] == "Tahap dipakai")
    announcement = {"title": "Uji", "body": "Isi", "stage_id": stage_id}
    await api.post("/announcements", json=announcement, headers=headers)

    response = await api.delete(f"/kb/stages/{stage_id}", headers=headers)

    assert response.status_code == 409


HOSTILE_YAML = {
    "billion laughs": (
        'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    ),
    "python object": "- !!python/object/apply:os.system ['echo pwned']\n",
    "huge integer": f"- id: x\n  question: {'9' * 5000}\n",
    "not a list": "just a string",
}


@pytest.mark.parametrize("name", HOSTILE_YAML)
async def test_hostile_yaml_is_refused_with_422(api: httpx.AsyncClient, name: str) -> None:
    headers = {**(await login(api, *ADMIN)), "Content-Type": "text/plain"}

    response = await api.post("/kb/import", content=HOSTILE_YAML[name], headers=headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == 422


@pytest.mark.parametrize("wildcard", ["%", "_", "%%", "\\"])
async def test_search_wildcards_match_only_themselves(
    api: httpx.AsyncClient, wildcard: str
) -> None:
    headers = await login(api, *STAFF)

    entries = await api.get("/kb/entries", params={"q": wildcard}, headers=headers)
    questions = await api.get("/questions", params={"q": wildcard}, headers=headers)

    assert entries.json()["total"] == 0
    assert questions.json()["total"] == 0
