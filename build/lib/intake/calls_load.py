"""Loading a call (utlysning) from a YAML file: its form, dates, reminders and eligible orgs.

Times are Europe/Oslo unless they carry an offset; they are stored as aware UTC. Re-loading a call
with the same id updates it and replaces its eligibility list; a reload that would hide stored
answers or submissions is refused unless `allow_hidden` (intake.call_reload), and even then nothing
stored is deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, col, select

from intake.call_reload import HiddenAnswers, hidden_by_reload
from intake.import_errors import DataImportError
from intake.spec import FormSpecError, LocalText, resolve_form
from models import AuditEntry, Call, CallKind, Eligibility, Organisation
from models.clock import OSLO

DEFAULT_REMINDERS = [14, 7, 2, 0]
_DATE_NO = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})(?:[ T]([0-9]{1,2})[:.]([0-9]{2}))?$")
_MONEY_NOISE = re.compile(r"^kr\.?|,-$|[\s_\u00a0\u202f]", re.IGNORECASE)


_PATTERNS = {
    "id": "lower-case letters, digits, '-' and '_', like lesekampanje-2027",
    "case_number": "a case number like 2026/1234",
}


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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EligibleEntry(_Strict):
    org: Annotated[str, Field(min_length=1, max_length=32)]
    frame: Annotated[int, Field(ge=0)] | None = None

    @field_validator("org", mode="before")
    @classmethod
    def _org_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("frame", mode="before")
    @classmethod
    def _kroner(cls, value: Any) -> Any:
        return _MONEY_NOISE.sub("", value) if isinstance(value, str) else value


class DigestConfig(_Strict):
    """When the secretariat gets a digest: weekdays at `at` from `from_days` before the deadline."""

    from_days: Annotated[int, Field(ge=0, le=120)] = 14
    at: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] = "08:00"
    after_deadline: bool = True


class CallFile(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
    title: LocalText
    kind: Literal["application", "report"]
    form: Annotated[str, Field(min_length=1, max_length=500)]
    case_number: Annotated[str, Field(pattern=r"^[0-9]{4}/[0-9]{1,7}$")]
    opens: datetime
    deadline: datetime
    reminders: list[Annotated[int, Field(ge=0, le=365)]] = Field(default_factory=lambda: list(DEFAULT_REMINDERS))
    reminder_time: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] = "09:00"
    digest: DigestConfig = Field(default_factory=lambda: DigestConfig())
    eligible: Annotated[list[EligibleEntry], Field(min_length=1)]

    @field_validator("id", "case_number", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @field_validator("opens", mode="before")
    @classmethod
    def _opens(cls, value: Any) -> datetime:
        return oslo_time(value)

    @field_validator("deadline", mode="before")
    @classmethod
    def _deadline(cls, value: Any) -> datetime:
        return oslo_time(value, end_of_day=True)

    @field_validator("reminders")
    @classmethod
    def _sorted(cls, value: list[int]) -> list[int]:
        return sorted(set(value), reverse=True)


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


@dataclass(frozen=True)
class Loaded:
    """A stored call, and what the reload hid (allowed explicitly; empty for most loads)."""

    call: Call
    hidden: list[str]


def load_call(session: Session, path: Path | str, now: datetime, *, allow_hidden: bool = False) -> Call:
    """Validate and store the call in `path`. Flushes; the caller commits.

    Raises HiddenAnswers, writing nothing, if the reload would hide stored answers or submissions
    and `allow_hidden` is not given.
    """
    return load_call_file(session, path, now, allow_hidden=allow_hidden).call


def load_call_file(session: Session, path: Path | str, now: datetime, *, allow_hidden: bool = False) -> Loaded:
    """Like load_call, also saying what the reload hid."""
    path = Path(path)
    data = read_call_yaml(path)
    return _load(session, data, now, path.parent, str(path), allow_hidden)


def load_call_data(
    session: Session,
    data: Any,
    now: datetime,
    base: Path | None = None,
    source: str = "<call>",
    *,
    allow_hidden: bool = False,
) -> Call:
    """Like load_call, for data already read (the demo sets its own dates)."""
    return _load(session, data, now, base, source, allow_hidden).call


def _load(session: Session, data: Any, now: datetime, base: Path | None, source: str, allow_hidden: bool) -> Loaded:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not isinstance(data, dict):
        raise DataImportError(["(top): a mapping of keys like id, title, form, deadline, eligible"], source)
    try:
        call_file = CallFile.model_validate(data)
    except ValidationError as error:
        raise DataImportError([_describe(item) for item in error.errors()], source) from None
    problems: list[str] = []
    if call_file.deadline <= call_file.opens:
        opens, deadline = (f"{moment:%Y-%m-%dT%H:%M}" for moment in (call_file.opens, call_file.deadline))
        problems.append(f"deadline: a time after opens {opens} (got {deadline!r})")
    try:
        spec = resolve_form(call_file.form, base)
    except FormSpecError as error:
        spec = None
        problems.append(f"form: {error}")
    problems += _eligibility_problems(session, call_file.eligible)
    if problems or spec is None:
        raise DataImportError(problems, source)
    hidden = hidden_by_reload(session, call_file.id, spec, (entry.org for entry in call_file.eligible))
    if hidden and not allow_hidden:
        raise HiddenAnswers(hidden, source)
    call = _store(session, call_file, spec.model_dump(mode="json"), now)
    if hidden:
        session.add(AuditEntry(at=now, actor="cli", action="reload_hiding", call_id=call.id, detail={"hidden": hidden}))
        session.flush()
    return Loaded(call, hidden)


def _describe(item: Any) -> str:
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in item["loc"])
    where = where.lstrip(".") or "(top)"
    if item["type"] == "extra_forbidden":
        return f"{where}: unknown key (allowed: {', '.join(_allowed(item['loc']))})"
    if item["type"] == "missing":
        return f"{where}: required"
    message = str(item["msg"]).removeprefix("Value error, ")
    if item["type"] == "string_pattern_mismatch":
        message = _PATTERNS.get(str(item["loc"][-1]), message)
    got = item.get("input")
    if isinstance(got, str | int | float) and "(got" not in message:
        message += f" (got {got!r})"
    return f"{where}: {message}"


def _allowed(loc: tuple[Any, ...]) -> list[str]:
    if loc[0] == "title":
        return ["nb", "nn"]
    return list((EligibleEntry if loc[0] == "eligible" else CallFile).model_fields)


def _eligibility_problems(session: Session, eligible: list[EligibleEntry]) -> list[str]:
    problems: list[str] = []
    first: dict[str, int] = {}
    for index, entry in enumerate(eligible):
        if entry.org in first:
            expected = f"each org once, and {entry.org} is already eligible[{first[entry.org]}]"
            problems.append(f"eligible[{index}].org: {expected} (got {entry.org!r})")
        first.setdefault(entry.org, index)
    known = set(session.exec(select(Organisation.id).where(col(Organisation.id).in_(list(first)))))
    for org_id, index in first.items():
        if org_id not in known:
            problems.append(f"eligible[{index}].org: no organisation {org_id!r} (import orgs first)")
    return problems


def _store(session: Session, data: CallFile, form: dict[str, Any], now: datetime) -> Call:
    values: dict[str, Any] = {
        "title": {"nb": data.title.nb, "nn": data.title.nn},
        "kind": CallKind(data.kind),
        "form_ref": data.form,
        "form": form,
        "case_number": data.case_number,
        "opens": data.opens.astimezone(UTC),
        "deadline": data.deadline.astimezone(UTC),
        "reminders": data.reminders,
        "reminder_time": data.reminder_time,
        "digest": data.digest.model_dump(),
        "updated_at": now,
    }
    call = session.get(Call, data.id)
    if call is None:
        call = Call(id=data.id, created_at=now, **values)
        session.add(call)
    else:
        for name, value in values.items():
            setattr(call, name, value)
    session.flush()
    wanted = {entry.org: entry.frame for entry in data.eligible}
    stored = session.exec(select(Eligibility).where(Eligibility.call_id == data.id)).all()
    for row in stored:
        if row.org_id not in wanted:
            session.delete(row)
        else:
            row.frame = wanted.pop(row.org_id)
    for org_id, frame in wanted.items():
        session.add(Eligibility(call_id=data.id, org_id=org_id, frame=frame))
    session.flush()
    return call
