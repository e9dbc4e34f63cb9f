"""The one database engine of the process, migrated on first use."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine

from bot.settings import settings
from models.db import make_engine
from models.migrate import upgrade


@lru_cache(maxsize=4)
def migrated_engine(url: str | None = None) -> Engine:
    engine = make_engine(url or settings().database_url)
    upgrade(engine)
    return engine
