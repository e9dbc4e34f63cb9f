"""Database engine and sessions: SQLite by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, create_engine

DEFAULT_DATABASE_URL = "sqlite:///frist.db"
# The backends Frist runs on, each with the one driver it ships, and an example of its URL.
SUPPORTED = {"sqlite": ("pysqlite", "sqlite:///frist.db"), "postgresql": ("psycopg", "postgresql://user@host/db")}
CONNECT_TIMEOUT_SECONDS = 10  # PostgreSQL: how long start-up waits for a host that does not answer


class DatabaseUrlError(ValueError):
    """DATABASE_URL names a database Frist cannot use; the message says what it expects."""


def normalise_url(url: str) -> str:
    """Accept the `postgres://` and `postgresql://` forms hosting platforms hand out; use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def parse_url(url: str) -> URL:
    """The normalised URL, or DatabaseUrlError when it is not one of a backend and driver Frist has."""
    expected = " or ".join(example for _, example in SUPPORTED.values())
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        raise DatabaseUrlError(f"not a database URL; expected e.g. {expected}") from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise DatabaseUrlError(f"unsupported database {backend!r}; Frist runs on SQLite or PostgreSQL ({expected})")
    driver = SUPPORTED[backend][0]
    if parsed.get_driver_name() != driver:
        raise DatabaseUrlError(
            f"unsupported driver {parsed.get_driver_name()!r} for {backend}; write the URL without one, "
            f"as {SUPPORTED[backend][1]}"
        )
    return parsed


def make_engine(url: str = DEFAULT_DATABASE_URL, **options: Any) -> Engine:
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_directory(parsed)
        engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args, **options)


def _check_sqlite_directory(url: URL) -> None:
    """SQLite creates a missing file but not its directory: a typo in the path must not start an
    empty database somewhere else, so a directory that does not exist is refused."""
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return
    directory = Path(url.database).absolute().parent
    if not directory.is_dir():
        raise DatabaseUrlError(f"the directory {directory} of the SQLite database does not exist; create it first")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
