"""The worked example of docs/forms.md, used exactly as a secretariat would: import, load, answer in the
console in nynorsk, export. Nothing here uses a shipped form."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import Engine

from tests.bot.test_console_process import env_for

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "docs" / "examples"
FRIST = [sys.executable, "-c", "from bot.cli import main; main()"]


def frist(engine: Engine, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*FRIST, *args], input=stdin, capture_output=True, text=True, env=env_for(engine), cwd=ROOT, timeout=120
    )


def call_file(tmp_path: Path) -> Path:
    """The example call, open now (its dates moved relative to today) and pointing at the example form."""
    call = yaml.safe_load((EXAMPLES / "lesekampanje-call.yaml").read_text(encoding="utf-8"))
    now = datetime.now(UTC)
    call["opens"] = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    call["deadline"] = (now + timedelta(days=30)).strftime("%Y-%m-%dT23:59")
    call["form"] = str(EXAMPLES / "lesekampanje.yaml")
    path = tmp_path / "call.yaml"
    path.write_text(yaml.safe_dump(call, allow_unicode=True), encoding="utf-8")
    return path


LINES = [
    "Lesekampanje med klassesett og forfattarbesøk",
    "2, 3",
    "1 200",
    "28. august 2027",
    "nei",
    "Premiar til vinnarane; 5 000",
    "Bøker til klassesett; kr 40 000,-",
    "Forfattarbesøk; 15 000",
    "ferdig",
    "10 000",
    "send inn",
    "endre bibliotek",
    "ja",
    "Biblioteket lånar ut bøker og held forteljestunder",
    "endre egenandel",
    "15 000",
    "send inn",
]


def test_the_documented_example_runs_from_import_to_export_in_nynorsk(engine: Engine, tmp_path: Path) -> None:
    imported = frist(engine, "orgs", "import", str(EXAMPLES / "orgs.csv"))
    assert imported.returncode == 0, imported.stderr
    loaded = frist(engine, "calls", "load", str(call_file(tmp_path)))
    assert loaded.returncode == 0, loaded.stderr

    talk = frist(
        engine,
        "console",
        "--as",
        "ingebjorg.vik@example.no",
        "--call",
        "lesekampanje-2027",
        stdin="\n".join(LINES) + "\n",
    )
    assert talk.returncode == 0, talk.stderr
    out = talk.stdout.replace("\u00a0", " ")  # amounts are written with no-break spaces
    assert "søknad frå Indre Fosen kommune" in out and "Skriv eit beløp i kroner" in out  # nynorsk throughout
    first_pass = out.split("Kan ikkje sende inn enno")[0]
    assert "Kva skal biblioteket bidra med?" not in first_pass  # not asked after «nei»
    assert "Kva skal biblioteket bidra med?" in out  # asked once the answer became «ja»
    assert "rad 1 («Premiar til vinnarane»): «Premiar» kan ikkje dekkjast av tilskotet" in out
    refused = out.split("Kan ikkje sende inn enno")[1]
    assert (
        "«Kor mykje bidreg de med sjølv?» er kr 10 000, men må vere minst 25 % av «Budsjett – kva skal tilskotet "
        "dekkje?» (kr 55 000), altså minst kr 13 750" in refused
    )
    assert re.search(r"Kvitteringsnummer: \*2026/1234-5054-[0-9]+-1\*", out)

    exported_to = tmp_path / "export.csv"
    exported = frist(engine, "export", "lesekampanje-2027", "--format", "csv", "-o", str(exported_to))
    assert exported.returncode == 0, exported.stderr
    rows = {row["org_id"]: row for row in csv.DictReader(exported_to.read_text(encoding="utf-8-sig").splitlines())}
    row = rows["5054"]
    assert row["status"] == "submitted" and re.fullmatch(r"2026/1234-5054-[0-9]+-1", row["receipt_number"])
    assert row["oppstart"] == "2027-08-28" and row["antall_barn"] == "1200" and row["egenandel"] == "15000"
    assert row["trinn"] == "trinn_1_4|trinn_5_7" and row["amount"] == "55000"
    assert json.loads(row["budsjett"]) == [
        {"post": "Bøker til klassesett", "belop": 40000},
        {"post": "Forfattarbesøk", "belop": 15000},
    ]
    assert row["bibliotek"] == "ja" and row["bibliotek_rolle"].startswith("Biblioteket lånar")
    assert rows["5052"]["status"] == "not_started"
