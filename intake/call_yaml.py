"""Reading a call file's YAML: no YAML 1.1 guessing of numbers and times, Norwegian dates, amounts
as people write them. What intake.calls_load and intake.call_terms validate is read here."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from intake.import_errors import DataImportError
from models.clock import OSLO

_DATE_NO = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})(?:[ T]([0-9]{1,2})[:.]([0-9]{2}))?$")
_MONEY_NOISE = re.compile(r"^kr\.?|,-$|[\s_\u00a0\u202f]", re.IGNORECASE)


def plain_amount(value: Any) -> Any:
    """`kr 1 200 000,-` as `1200000` for pydantic to read as an int; anything else as it is."""
    return _MONEY_NOISE.sub("", value) if isinstance(value, str) else value


class _Loader(yaml.SafeLoader):
    """safe_load without YAML 1.1 number and time guessing: `0301` stays a kommunenummer, not 193.

    Pydantic turns the strings into ints and dates where the schema wants them.
    """


_DROP = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def oslo_time(value: Any, *, end_of_day: bool = False) -> datetime:
    """A datetime from YAML: aware stays, naive is Oslo, a bare date is 00:00 (or 23:59) Oslo."""
    if isinstance(value, str):
        text = value.strip()
        if match := _DATE_NO.match(text):
            day, month, year, hour, minute = match.groups()
            text = f"{year}-{int(month):02}-{int(day):02}"
            if hour is not None:
                text += f"T{int(hour):02}:{minute}"
        try:
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"a date like 2027-01-15 or a time like 2027-01-15T23:59 (got {value!r})") from None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=OSLO)).astimezone(OSLO)
    if isinstance(value, date):
        return datetime.combine(value, time(23, 59) if end_of_day else time(0, 0), tzinfo=OSLO)
    raise ValueError(f"a date like 2027-01-15 or a time like 2027-01-15T23:59 (got {value!r})")


def read_call_yaml(path: Path) -> Any:
    """The raw YAML of a call file (numbers and times left as strings)."""
    try:
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Loader)
    except OSError as error:
        raise DataImportError([f"cannot read the file: {error.strerror or error}"], str(path)) from None
    except UnicodeDecodeError:
        raise DataImportError(["not UTF-8 text"], str(path)) from None
    except yaml.YAMLError as error:
        raise DataImportError([f"not valid YAML: {error}"], str(path)) from None
