"""Database engine and sessions; SQLite gets WAL mode and enforced foreign keys."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is crash-safe (only the last commits can be lost on power failure)
    # and avoids an fsync per commit, which dominated the bot's per-message cost.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def ensure_sqlite_directory(url: str) -> None:
    """Create the folder of a SQLite database file so a fresh clone can start."""
    parsed = make_url(url)
    database = parsed.database or ""
    # "file:..." is a SQLite URI (e.g. mode=ro): it names an existing file, not a folder to make.
    in_file = database not in ("", ":memory:") and not database.startswith("file:")
    if parsed.get_backend_name() == "sqlite" and in_file:
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    """Build the engine for ``url``; on SQLite, every connection gets the product's pragmas."""
    ensure_sqlite_directory(url)
    # Error messages and logs name the statement but never its values (citizens' questions).
    kwargs.setdefault("hide_parameters", True)
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def check_writable(engine: Engine) -> None:
    """Raise SQLAlchemy's error unless the database accepts writes (not a read-only file,
    read-only transaction or standby). The probe changes nothing: an update matching no row,
    rolled back."""
    with engine.connect() as connection:
        connection.execute(text(_WRITE_PROBE))
        connection.rollback()


# SQLite lets a read-only connection begin even BEGIN IMMEDIATE; a real UPDATE is refused.
_WRITE_PROBE = "UPDATE alembic_version SET version_num = version_num WHERE 1 = 0"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


def describe_database(url: str) -> str:
    """The URL without its password, for status lines and logs."""
    return make_url(url).render_as_string(hide_password=True)
