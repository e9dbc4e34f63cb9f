"""Sample data from the seed documents: 21 organisations and 4 open calls, for `frist demo` and `make run`.

The data lives in `intake/demo/` (orgs.csv and one YAML file per call) and goes through the same
importers as real files. Call files there give `deadline_in_days` instead of dates, so every call
is open whenever the demo is loaded. Loading twice changes nothing but the dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlmodel import Session

from intake.calls_load import load_call_data, read_call_yaml
from intake.import_errors import DataImportError
from intake.orgs_import import ImportReport, import_orgs
from models import Call
from models.clock import OSLO

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_CALLS = ("oppfolging-2020", "kompetanseloftet-2025", "dekom-2018", "oppfolging-rapport")
DEMO_CONTACT = "demo@leka.example.no"


@dataclass
class DemoReport:
    orgs: ImportReport
    calls: list[Call]

    def summary(self) -> str:
        calls = ", ".join(
            f"{call.id} (deadline {call.deadline.astimezone(OSLO):%Y-%m-%d %H:%M})" for call in self.calls
        )
        return f"demo data: {self.orgs.summary()}; {len(self.calls)} calls: {calls}"


def load_demo(session: Session, now: datetime) -> DemoReport:
    """Import the demo orgs and calls. Flushes; the caller commits."""
    orgs = import_orgs(session, DEMO_DIR / "orgs.csv")
    calls = [load_demo_call(session, DEMO_DIR / f"{call_id}.yaml", now) for call_id in DEMO_CALLS]
    return DemoReport(orgs, calls)


def load_demo_call(session: Session, path: Path, now: datetime) -> Call:
    """A call file with `deadline_in_days`: opens a day ago, closes that many days ahead at 23:59 Oslo."""
    data = read_call_yaml(path)
    if not isinstance(data, dict) or "deadline_in_days" not in data:
        raise DataImportError(["deadline_in_days: required in a demo call file"], str(path))
    try:
        days = int(data.pop("deadline_in_days"))
    except (TypeError, ValueError):
        raise DataImportError(["deadline_in_days: a whole number of days"], str(path)) from None
    day = now.astimezone(OSLO).date() + timedelta(days=days)
    data["opens"] = now - timedelta(days=1)
    data["deadline"] = datetime.combine(day, time(23, 59), tzinfo=OSLO)
    # The demo reloads its calls at every start: a newer shipped form must not stop `make run`. The
    # demo's drafts keep their answers either way.
    return load_call_data(session, data, now, base=path.parent, source=str(path), allow_hidden=True)
