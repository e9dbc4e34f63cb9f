"""Importing organisations and their contacts from a CSV file (one row per contact).

Every row is checked before anything is written: a file with one bad row writes nothing, and the
error lists every problem with its line and column. Re-importing updates orgs (by org_id) and
contacts (by e-mail); contacts missing from the file are left alone, and an empty slack_user_id
keeps the one already stored.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from intake.import_errors import DataImportError
from models import Contact, Language, Organisation, OrgKind

COLUMNS = ("org_id", "name", "kind", "language", "contact_name", "contact_email", "slack_user_id")
OPTIONAL = {"slack_user_id"}
ORG_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,31}$")


@dataclass
class ImportReport:
    orgs_created: int = 0
    orgs_updated: int = 0
    orgs_unchanged: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    contacts_unchanged: int = 0

    def summary(self) -> str:
        orgs = self.orgs_created + self.orgs_updated + self.orgs_unchanged
        contacts = self.contacts_created + self.contacts_updated + self.contacts_unchanged
        return (
            f"imported {orgs} organisations ({self.orgs_created} new, {self.orgs_updated} updated, "
            f"{self.orgs_unchanged} unchanged), {contacts} contacts ({self.contacts_created} new, "
            f"{self.contacts_updated} updated, {self.contacts_unchanged} unchanged)"
        )


@dataclass(frozen=True)
class Row:
    line: int
    org_id: str
    name: str
    kind: OrgKind
    language: Language
    contact_name: str
    email: str
    slack: str | None


def import_orgs(session: Session, path_or_text: Path | str | bytes) -> ImportReport:
    """Import a CSV given as a Path, a path string, the CSV text itself, or its bytes.

    Flushes but does not commit: the caller's transaction decides.
    """
    text, source = _read(path_or_text)
    rows, problems = _parse(text)
    if not problems:
        rows, problems = _conflicts(session, rows)
    if problems:
        raise DataImportError(problems, source)
    return _write(session, rows)


def _read(source: Path | str | bytes) -> tuple[str, str]:
    if isinstance(source, str) and not _looks_like_path(source):
        return source.removeprefix("\ufeff"), "<csv>"
    if isinstance(source, bytes):
        raw, name = source, "<csv>"
    else:
        name = str(source)
        try:
            raw = Path(source).read_bytes()
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise DataImportError([f"cannot read the file: {reason}"], name) from None
    try:
        return raw.decode("utf-8-sig"), name
    except UnicodeDecodeError as error:
        hint = "not UTF-8 text (in Excel, save as 'CSV UTF-8')"
        raise DataImportError([f"byte {error.start}: {hint}"], name) from None


def _looks_like_path(text: str) -> bool:
    """A one-line string without any separator names a file; anything else is CSV text."""
    return bool(text.strip()) and not any(sep in text for sep in ("\n", "\r", ",", ";", "\t"))


def _delimiter(text: str) -> str:
    """Norwegian Excel writes `;`; others `,`. The header line decides."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _parse(text: str) -> tuple[list[Row], list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header: list[str] | None = None
    rows: list[Row] = []
    problems: list[str] = []
    last = 0
    try:
        for values in reader:
            line, last = last + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if header is None:
                header = [value.strip().lower() for value in values]
                while header and not header[-1]:
                    header.pop()
                problems += _header_problems(header, line)
                if problems:
                    return [], problems
                continue
            row, row_problems = _check_row(line, header, values)
            problems += row_problems
            if row is not None:
                rows.append(row)
    except csv.Error as error:
        problems.append(f"line {reader.line_num}: not readable as CSV: {error}")
    if header is None:
        problems.append(f"line 1: the file is empty (expected a header: {','.join(COLUMNS)})")
    elif not rows and not problems:
        problems.append("line 2: no rows after the header (expected one row per contact)")
    return rows, problems


def _header_problems(header: list[str], line: int) -> list[str]:
    expected = ", ".join(COLUMNS)
    problems = [_at(line, name or "(empty)", f"one of {expected}", name) for name in header if name not in COLUMNS]
    twice = sorted({name for name in header if header.count(name) > 1 and name in COLUMNS})
    problems += [_at(line, name, "each column once", f"{name},{name}") for name in twice]
    missing = [name for name in COLUMNS if name not in header and name not in OPTIONAL]
    return problems + [_at(line, name, "this column in the header", ",".join(header)) for name in missing]


def _at(line: int, column: object, expected: str, got: object) -> str:
    """The one shape of every problem: where, what was expected, what was there."""
    text = str(got)
    return f"line {line}: column {column}: {expected} (got {text if len(text) <= 60 else text[:57] + '...'!r})"


def _check_row(line: int, header: list[str], values: list[str]) -> tuple[Row | None, list[str]]:
    problems: list[str] = []
    extra = [value for value in values[len(header) :] if value.strip()]
    if extra:
        expected = f"at most {len(header)} values (quote a value that holds the separator)"
        problems.append(_at(line, len(header) + 1, expected, extra[0]))
    cells = {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)}
    cells.setdefault("slack_user_id", "")

    def bad(column: str, expected: str) -> None:
        problems.append(_at(line, column, expected, cells[column]))

    for column in COLUMNS:
        if column not in OPTIONAL and not cells[column]:
            bad(column, "a value")
    org_id, kind, language = cells["org_id"], cells["kind"].lower(), cells["language"].lower()
    if org_id and not ORG_ID.match(org_id):
        bad("org_id", "letters, digits, '-', '_' or '.', at most 32 characters")
    elif org_id.isdigit() and kind == "kommune" and len(org_id) != 4:
        bad("org_id", "a kommunenummer of 4 digits (Excel may drop a leading zero)")
    for column in ("name", "contact_name"):
        if len(cells[column]) > 200:
            bad(column, "at most 200 characters")
    if kind and kind not in OrgKind.__members__:
        bad("kind", "one of " + "|".join(OrgKind.__members__))
    if language and language not in Language.__members__:
        bad("language", "nb or nn")
    email = cells["contact_email"].lower()
    if email and (not EMAIL.match(email) or len(email) > 254):
        bad("contact_email", "an e-mail address like name@kommune.no")
    slack = cells["slack_user_id"] or None
    if slack and not SLACK_USER.match(slack):
        bad("slack_user_id", "a Slack user id like U012AB3CD, or nothing")
    if problems:
        return None, problems
    name, contact_name = cells["name"], cells["contact_name"]
    return Row(line, org_id, name, OrgKind(kind), Language(language), contact_name, email, slack), []


def _conflicts(session: Session, rows: list[Row]) -> tuple[list[Row], list[str]]:
    """Rows that disagree with each other or with contacts already stored; identical repeats dropped."""
    problems: list[str] = []
    orgs: dict[str, Row] = {}
    emails: dict[str, Row] = {}
    slacks: dict[str, Row] = {}
    kept: list[Row] = []
    for row in rows:
        first = orgs.setdefault(row.org_id, row)
        for attr in ("name", "kind", "language"):
            if getattr(first, attr) != getattr(row, attr):
                expected = f"{getattr(first, attr)!s} as on line {first.line} for org {row.org_id}"
                problems.append(_at(row.line, attr, expected, getattr(row, attr)))
        earlier = emails.setdefault(row.email, row)
        if earlier is not row:
            if earlier.org_id != row.org_id:
                expected = f"an address not already given to org {earlier.org_id} on line {earlier.line}"
            elif (earlier.contact_name, earlier.slack) != (row.contact_name, row.slack):
                expected = f"the same details as on line {earlier.line}, or one row per contact"
            else:
                continue
            problems.append(_at(row.line, "contact_email", expected, row.email))
            continue
        if row.slack:
            holder = slacks.setdefault(row.slack, row)
            if holder is not row:
                expected = f"a user not already given to {holder.email} on line {holder.line}"
                problems.append(_at(row.line, "slack_user_id", expected, row.slack))
        kept.append(row)
    if slacks:
        stored = session.exec(select(Contact).where(col(Contact.slack_user_id).in_(list(slacks)))).all()
        for contact in stored:
            row = slacks[contact.slack_user_id or ""]
            if contact.email.lower() != row.email:
                expected = f"a user not already linked to {contact.email} in the database"
                problems.append(_at(row.line, "slack_user_id", expected, row.slack))
    return kept, problems


def _write(session: Session, rows: list[Row]) -> ImportReport:
    report = ImportReport()
    for org_id, row in {row.org_id: row for row in rows}.items():  # rows of one org agree
        org = session.get(Organisation, org_id)
        if org is None:
            session.add(Organisation(id=org_id, name=row.name, kind=row.kind, language=row.language))
            report.orgs_created += 1
        elif (org.name, org.kind, org.language) != (row.name, row.kind, row.language):
            org.name, org.kind, org.language = row.name, row.kind, row.language
            report.orgs_updated += 1
        else:
            report.orgs_unchanged += 1
    session.flush()
    emails = [row.email for row in rows]
    query = select(Contact).where(func.lower(Contact.email).in_(emails))
    stored = {contact.email.lower(): contact for contact in session.exec(query)}
    for row in rows:
        contact = stored.get(row.email)
        if contact is None:
            session.add(Contact(org_id=row.org_id, name=row.contact_name, email=row.email, slack_user_id=row.slack))
            report.contacts_created += 1
            continue
        wanted: dict[str, str | None] = {"org_id": row.org_id, "name": row.contact_name, "email": row.email}
        wanted["slack_user_id"] = row.slack or contact.slack_user_id
        if all(getattr(contact, name) == value for name, value in wanted.items()):
            report.contacts_unchanged += 1
            continue
        for name, value in wanted.items():
            setattr(contact, name, value)
        report.contacts_updated += 1
    session.flush()
    return report
