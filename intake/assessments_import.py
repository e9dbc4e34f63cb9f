"""Importing assessments made on paper or in a spreadsheet: the file `frist assessments export` writes
(intake.assessments_export), edited or typed anew. One row per assessor, organisation and criterion:
`call_id,org_id,assessor,criterion,mark,comment`, and a row with criterion `samlet` and no mark for
the overall comment; the export's own columns `group` and `assessed_at` are ignored, and a row whose
`counts` is `nei` (an assessor disqualified for the org, kept for the record) is left as stored.

The rows of one assessor for one org are that assessor's whole assessment of it and replace what
they had, as `assess` does. `assessor` is a Slack user id (the secretariat's, or one the call lists
for the org) or `cli` / empty for the secretariat at the command line. Every row is checked first;
a file with one bad row writes nothing and names every problem with its line. A row whose assessor
is disqualified for the org or may not assess it is one of those problems, and each such refused
assessment is audited, in its own commit, before the file is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from intake.actors import CLI, Actor, RefusalReason, Refused, call_or_fail
from intake.assess import Marked, held_assessment, mark_problems, refusal, sent_in, store_assessment, stored_marks
from intake.assessments_export import OVERALL
from intake.audit import record
from intake.call_terms import SLACK_USER, CallTerms, terms_of
from intake.csv_input import at, read_text, records
from intake.export_csv import undefuse
from intake.import_errors import DataImportError
from intake.text import normalise
from models import Call, Mark, Submission

ACTION = "assessments_import"
COLUMNS = ("call_id", "org_id", "assessor", "group", "criterion", "mark", "comment", "counts", "assessed_at")
OPTIONAL = frozenset({"call_id", "group", "comment", "counts", "assessed_at"})
MARK_VALUES = tuple(mark.value for mark in Mark)  # ok, merknad, mangler
REFUSED = {
    RefusalReason.disqualified: "an assessor who is not disqualified (inhabil) for {org}",
    RefusalReason.not_assessor: "cli, a member of the secretariat or an assessor the call lists for {org}",
}

Key = tuple[str, str, str]  # call id, org id, assessor


@dataclass
class _Assessment:
    """One assessor's assessment of one org as the file has it so far."""

    actor: Actor
    submission: Submission
    terms: CallTerms
    marks: dict[str, Marked] = field(default_factory=dict)
    comment: str = ""
    lines: dict[str, int] = field(default_factory=dict)  # criterion (or `samlet`) -> its line


@dataclass(frozen=True)
class ImportedAssessments:
    changed: list[Key]
    unchanged: list[Key]

    def summary(self) -> str:
        every = self.changed + self.unchanged
        orgs = len({(call_id, org_id) for call_id, org_id, _ in every})
        return (
            f"imported {_count(len(every), 'assessment')} of {_count(orgs, 'org')} "
            f"({len(self.changed)} changed, {len(self.unchanged)} unchanged)"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class _Reader:
    """Checks the rows one by one, keeping what it looked up for the next row."""

    def __init__(self, session: Session, fixed: Call | None, secretariat: frozenset[str]) -> None:
        self.session, self.fixed, self.secretariat = session, fixed, secretariat
        self.calls: dict[str, Call | None] = {} if fixed is None else {fixed.id: fixed}
        self.terms: dict[str, CallTerms] = {}
        self.submissions: dict[tuple[str, str], Submission | None] = {}
        self.reasons: dict[Key, RefusalReason | None] = {}
        self.assessments: dict[Key, _Assessment] = {}
        self.problems: list[str] = []
        self.unnamed: list[str] = []  # rows that name no call, without --call

    def row(self, line: int, cells: dict[str, str]) -> None:
        if cells["counts"].strip().lower() == "nei":  # the export's row of a disqualified assessor: kept as stored
            return
        problems: list[str] = []
        call = self._call(line, cells["call_id"], problems)
        terms = None if call is None else self._terms(call)
        org_id, submission = cells["org_id"], None
        if not org_id:
            problems.append(at(line, "org_id", "an org id", ""))
        elif call is not None:
            submission = self._submission(call.id, org_id)
            if submission is None:
                problems.append(at(line, "org_id", f"an org that has sent in to {call.id}", org_id))
        actor = self._actor(line, cells["assessor"], problems)
        if actor is not None and submission is not None and terms is not None:
            reason = self._reason(actor, submission.call_id, terms, org_id)
            if reason is not None:
                problems.append(at(line, "assessor", REFUSED[reason].format(org=org_id), cells["assessor"]))
        criterion, marked, comment = _marked(line, cells, terms, problems)
        if problems or actor is None or submission is None or terms is None:
            self.problems += problems
            return
        key = (submission.call_id, submission.org_id, actor.id)
        found = self.assessments.setdefault(key, _Assessment(actor, submission, terms))
        if criterion in found.lines:
            also = f"each criterion once per assessor and org (also on line {found.lines[criterion]})"
            self.problems.append(at(line, "criterion", also, cells["criterion"]))
            return
        found.lines[criterion] = line
        if marked is None:
            found.comment = comment
        else:
            found.marks[criterion] = marked

    def _call(self, line: int, given: str, problems: list[str]) -> Call | None:
        if self.fixed is not None:
            if given and given != self.fixed.id:
                problems.append(at(line, "call_id", f"{self.fixed.id} (the call given with --call), or empty", given))
            return self.fixed
        if not given:
            self.unnamed.append(at(line, "call_id", "a call id, or --call CALL for the whole file", ""))
            problems.append(self.unnamed[-1])
            return None
        if given not in self.calls:
            self.calls[given] = self.session.get(Call, given)
        if self.calls[given] is None:
            problems.append(at(line, "call_id", "a loaded call (see `frist calls list`)", given))
        return self.calls[given]

    def _terms(self, call: Call) -> CallTerms:
        if call.id not in self.terms:
            self.terms[call.id] = terms_of(call)
        return self.terms[call.id]

    def _submission(self, call_id: str, org_id: str) -> Submission | None:
        if (call_id, org_id) not in self.submissions:
            self.submissions[call_id, org_id] = sent_in(self.session, call_id, org_id)
        return self.submissions[call_id, org_id]

    def _actor(self, line: int, given: str, problems: list[str]) -> Actor | None:
        if given.lower() in ("", CLI.id):
            return CLI
        user = given.upper()
        if not SLACK_USER.match(user):
            problems.append(at(line, "assessor", "a Slack user id like U012AB3CD, or cli for the secretariat", given))
            return None
        return Actor(user, secretariat=user in self.secretariat)

    def _reason(self, actor: Actor, call_id: str, terms: CallTerms, org_id: str) -> RefusalReason | None:
        key = (call_id, org_id, actor.id)
        if key not in self.reasons:
            self.reasons[key] = refusal(self.session, actor, call_id, terms, org_id)
        return self.reasons[key]

    def refused(self) -> list[tuple[Key, RefusalReason]]:
        return [(key, reason) for key, reason in self.reasons.items() if reason is not None]


def _marked(
    line: int, cells: dict[str, str], terms: CallTerms | None, problems: list[str]
) -> tuple[str, Marked | None, str]:
    """The row's criterion, its mark (None on the overall comment's row) and the comment."""
    criterion, mark = cells["criterion"].lower(), cells["mark"].lower()
    comment = normalise(undefuse(cells["comment"]))
    marked: Marked | None = None
    if not criterion:
        problems.append(at(line, "criterion", f"one of the call's criteria, or {OVERALL} for the overall comment", ""))
        return criterion, None, comment
    if criterion == OVERALL:
        if mark:
            problems.append(at(line, "mark", f"empty on the {OVERALL} row (the overall comment)", cells["mark"]))
        found = [] if terms is None else mark_problems(terms, {}, comment)
    else:
        if mark in MARK_VALUES:
            marked = Marked(Mark(mark), comment)
        else:
            problems.append(at(line, "mark", ", ".join(MARK_VALUES), cells["mark"]))
        found = [] if terms is None else mark_problems(terms, {criterion: marked or Marked(Mark.ok, comment)}, "")
    problems += [f"line {line}: {problem}" for problem in found]
    return criterion, marked, comment


def import_assessments(
    session: Session,
    actor: Actor,
    source: Path | str | bytes,
    now: datetime,
    *,
    call_id: str | None = None,
    secretariat: frozenset[str] = frozenset(),
) -> ImportedAssessments:
    """Check the whole file, then store every assessment in it in one transaction, each with its
    audit entry; an assessment exactly as stored is left alone. `call_id` is the call of rows that
    name none (and must match those that do); `secretariat` the Slack ids of its members. Commits."""
    if not actor.secretariat:
        reason = RefusalReason.not_secretariat
        record(session, actor.id, "refused", now, call_id=call_id, attempted=ACTION, reason=reason.value)
        session.commit()
        raise Refused(ACTION, reason)
    reader = _Reader(session, call_or_fail(session, call_id) if call_id else None, secretariat)
    text, name = read_text(source)
    late: list[str] = []
    try:
        for line, cells in records(text, COLUMNS, OPTIONAL):
            reader.row(line, cells)
    except DataImportError as error:
        late = error.problems
    problems = reader.problems + late
    if reader.unnamed and reader.calls == {}:  # one problem, not one per row
        problems = [problem for problem in problems if problem not in reader.unnamed]
        problems.insert(0, "column call_id: the call of each row, or --call CALL (no row names its call)")
    if not reader.assessments and not problems:
        problems.append("line 2: no rows after the header (expected one row per assessor, organisation and criterion)")
    _audit_refusals(session, actor, reader.refused(), now)
    if problems:
        raise DataImportError(problems, name)
    changed: list[Key] = []
    unchanged: list[Key] = []
    for key, found in reader.assessments.items():
        submission, assessor = found.submission, found.actor.id
        assert submission.id is not None
        held = held_assessment(session, submission.id, assessor)
        after = (stored_marks(found.marks), found.comment, found.terms.group_of(assessor), submission.revision)
        if held is not None and (held.marks, held.comment, held.assessor_group, held.submission_revision) == after:
            unchanged.append(key)
            continue
        store_assessment(
            session,
            assessor,
            submission,
            found.terms,
            found.marks,
            found.comment,
            now,
            source="import",
            imported_by=actor.id,
        )
        changed.append(key)
    session.commit()
    return ImportedAssessments(changed, unchanged)


def _audit_refusals(session: Session, actor: Actor, refused: list[tuple[Key, RefusalReason]], now: datetime) -> None:
    """Every refused assessment in the file, in its own commit (nothing else of the file is in it)."""
    if not refused:
        return
    session.rollback()
    for (call_id, org_id, assessor), reason in refused:
        record(
            session,
            actor.id,
            "refused",
            now,
            call_id=call_id,
            org_id=org_id,
            attempted=ACTION,
            reason=reason.value,
            assessor=assessor,
        )
    session.commit()
