"""Apply Alembic migrations from code (the CLI, the main command and the tests use this)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a migration runs: checking that none is pending must stay cheap
# because every command (including a one-shot `ask`) does it at start.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
VERSIONS_DIR = PROJECT_ROOT / "alembic" / "versions"
_REVISION = re.compile(r"^revision(?::\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(
    r"^down_revision(?::[^=]+)?=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE
)


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at the project's ``alembic/`` folder and ``database_url``."""
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["database_url"] = database_url
    config.attributes["skip_logging_config"] = True
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database up to ``revision``."""
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Migrate the database down to ``revision`` (``base`` empties it)."""
    from alembic import command

    command.downgrade(alembic_config(database_url), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` when it was never migrated."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def head_revision(database_url: str | None = None) -> str | None:
    """The newest revision among the migration scripts (read without importing Alembic)."""
    revisions: dict[str, str | None] = {}
    for script in VERSIONS_DIR.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        match = _REVISION.search(source)
        if match:
            down = _DOWN_REVISION.search(source)
            revisions[match.group(1)] = down.group(1) if down else None
    parents = {down for down in revisions.values() if down}
    heads = sorted(set(revisions) - parents)
    if len(heads) > 1:
        raise RuntimeError(f"migration scripts have several heads: {heads}")
    return heads[0] if heads else None


def is_up_to_date(engine: Engine, database_url: str) -> bool:
    """Whether the database already has every migration applied."""
    return current_revision(engine) == head_revision(database_url)
