"""Apply Alembic migrations from code (the CLI, the main command and the tests use this)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config


# Alembic is imported only when a migration runs: checking that none is pending must stay cheap
# because every command (including a one-shot `ask`) does it at start.
def _scripts_dir() -> Path:
    """Where the migration scripts are: ``alembic/`` beside ``knowledge_base/`` in a checkout, or
    the ``tanyapemilu_migrations`` package of an installed wheel."""
    checkout = Path(__file__).resolve().parents[2] / "alembic"
    if (checkout / "env.py").is_file():
        return checkout
    spec = importlib.util.find_spec("tanyapemilu_migrations")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the migration scripts (tanyapemilu_migrations) are not installed")
    return Path(next(iter(spec.submodule_search_locations)))


SCRIPTS_DIR = _scripts_dir()
VERSIONS_DIR = SCRIPTS_DIR / "versions"
_REVISION = re.compile(r"^revision(?::\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(
    r"^down_revision(?::[^=]+)?=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE
)


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at the project's ``alembic/`` folder and ``database_url``."""
    from alembic.config import Config

    # No alembic.ini: the options are set here, so an installed copy needs no checkout.
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS_DIR))
    config.set_main_option("path_separator", "os")
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
