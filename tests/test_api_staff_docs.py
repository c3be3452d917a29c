"""The staff API's OpenAPI document reads well: every operation has a summary written for it
and every tag says what its routes are for."""

from __future__ import annotations

from admin_api.app import OPERATION_SUMMARIES, create_app
from knowledge_base.core.settings import Settings

DOCUMENT = create_app(Settings(_env_file=None, database_url="sqlite://"), engine=None).openapi()
OPERATIONS = [
    (f"{method.upper()} {path}", operation)
    for path, operations in DOCUMENT["paths"].items()
    for method, operation in operations.items()
]


def test_every_operation_has_a_summary_written_for_it() -> None:
    unwritten = [key for key, operation in OPERATIONS if key not in OPERATION_SUMMARIES]

    assert unwritten == [], "add a summary to OPERATION_SUMMARIES in admin_api/app.py"
    assert all(operation["summary"] == OPERATION_SUMMARIES[key] for key, operation in OPERATIONS)


def test_every_summary_belongs_to_an_operation_that_exists() -> None:
    assert set(OPERATION_SUMMARIES) == {key for key, _operation in OPERATIONS}


def test_every_tag_in_use_is_described() -> None:
    described = {tag["name"] for tag in DOCUMENT["tags"] if tag.get("description")}

    used = {tag for _key, operation in OPERATIONS for tag in operation["tags"]}

    assert used <= described
