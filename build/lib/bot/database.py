"""The one database engine of the process, migrated on first use."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bot.settings import settings
from bot.startup import StartupError
from models.db import DatabaseUrlError, make_engine
from models.migrate import upgrade


@lru_cache(maxsize=4)
def migrated_engine(url: str | None = None) -> Engine:
    """The engine, its schema brought up to date; StartupError when the database cannot be used."""
    try:
        engine = make_engine(url or settings().database_url)
    except DatabaseUrlError as error:
        raise StartupError(f"configuration error: DATABASE_URL: {error}") from None
    try:
        upgrade(engine)
    except OperationalError as error:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise StartupError(f"database error: cannot use {where}: {_one_line(error.orig)}") from None
    return engine


def _one_line(error: BaseException | None) -> str:
    """The driver's own words (libpq's come on several lines), joined into one line."""
    lines = [" ".join(line.split()) for line in str(error).splitlines()]
    return "; ".join(line for line in lines if line)
