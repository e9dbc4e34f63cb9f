"""Loading a call (utlysning) from a YAML file: its form, dates, reminders and eligible orgs.

Times are Europe/Oslo unless they carry an offset; they are stored as aware UTC. Re-loading a call
with the same id updates it and replaces its eligibility list; a reload that would hide stored
answers or submissions is refused unless `allow_hidden` (intake.call_reload), and even then nothing
stored is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, col, select

from intake.call_reload import HiddenAnswers, hidden_by_reload
from intake.call_terms import TERM_KEYS, AssessorGroup, CallTerms, Criterion, DecisionTerms, ReportingDuty
from intake.call_yaml import oslo_time, plain_amount, read_call_yaml
from intake.import_errors import DataImportError
from intake.spec import FormSpecError, LocalText, resolve_form
from models import AuditEntry, Call, CallKind, Eligibility, Organisation

DEFAULT_REMINDERS = [14, 7, 2, 0]
_PATTERNS = {
    "id": "lower-case letters, digits, '-' and '_', like lesekampanje-2027",
    "case_number": "a case number like 2026/1234",
}


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
        return plain_amount(value)


class DigestConfig(_Strict):
    """When the secretariat gets a digest: weekdays at `at` from `from_days` before the deadline."""

    from_days: Annotated[int, Field(ge=0, le=120)] = 14
    at: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] = "08:00"
    after_deadline: bool = True


class CallFile(CallTerms):
    """The call file: its own keys, plus the assessment and decision terms (intake.call_terms)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)

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
    problems += call_file.org_problems({entry.org for entry in call_file.eligible})
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


_NESTED: dict[str, type[BaseModel]] = {
    "eligible": EligibleEntry,
    "digest": DigestConfig,
    "criteria": Criterion,
    "assessors": AssessorGroup,
    "decision": DecisionTerms,
    "report": ReportingDuty,
}
_LOCAL_TEXT = {"title", "label", "conditions", "unspent", "appeal_to"}


def _allowed(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where an unknown key was found: the innermost named mapping around it."""
    names = [part for part in loc[:-1] if isinstance(part, str)]
    if names and names[-1] in _LOCAL_TEXT:
        return ["nb", "nn"]
    model = _NESTED.get(names[-1]) if names else None
    if model is None:  # the call file's own keys first, then the terms
        return [name for name in CallFile.model_fields if name not in TERM_KEYS] + list(TERM_KEYS)
    return list(model.model_fields)


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
        "terms": CallTerms.model_validate(data.model_dump(include=set(TERM_KEYS))).model_dump(mode="json"),
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
