"""`frist forms check FILE`: a form validated without a call or a database, as a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
KOMPETANSE_TITLE = "Beslutningsgrunnlag – Kompetanseløftet for spesialpedagogikk og inkluderende praksis"
FRIST = [sys.executable, "-c", "from bot.cli import main; main()"]


def check(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}", "HOME": str(tmp_path)}
    return subprocess.run(
        [*FRIST, "forms", "check", str(path)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )


def test_a_shipped_form_is_outlined_in_a_few_lines_without_touching_a_database(tmp_path: Path) -> None:
    result = check(ROOT / "intake" / "forms" / "kompetanseloftet-grunnlag.yaml", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "kompetanseloftet-grunnlag: " + KOMPETANSE_TITLE
    assert lines[1] == "17 questions (13 always asked); amount: meldt_behov"
    assert any(
        line.startswith("  3. meldt_behov  money [0 .. 11 400 000] = tiltak.kostnad_nettverk + tiltak.kostnad_uh")
        for line in lines
    )
    assert any("forklaring_ramme" in line and "needed, when meldt_behov is over the frame" in line for line in lines)
    assert any("asked when har_restmidler = ja" in line for line in lines)
    assert lines[-1] == "  - max_of_frame: meldt_behov ≤ the org's frame, unless forklaring_ramme is answered"
    assert len(lines) == 2 + 17 + 2
    assert not (tmp_path / "never.db").exists()


def test_a_bad_form_gets_one_line_per_problem_and_exit_code_2(tmp_path: Path) -> None:
    form = tmp_path / "bad.yaml"
    form.write_text(
        "id: bad\ntitle: {nb: Dårlig, nn: Dårleg}\namount: sokt\nfields:\n"
        "  - {id: start, type: date, label: Start, min: opens - 2 weeks, max: deadline + 1 year}\n"
        "  - {id: sokt, type: money, label: Beløp, sum_of: [uh]}\n"
        "  - {id: uh, type: money, label: UH, when: {field: later, equals: ja}}\n"
        "rules:\n  - {type: part_of, field: uh, of: nothing}\n",
        encoding="utf-8",
    )
    result = check(form, tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {form}: 3 problems",
        "  (top): Value error, field 'sokt': `sum_of` must name earlier fields, not 'uh'",
        "  (top): Value error, field 'uh': `when` must name an earlier field, not 'later'",
        "  (top): Value error, part_of: no field 'nothing'",
    ]
    missing = check(tmp_path / "nowhere.yaml", tmp_path)
    assert missing.returncode == 2 and "cannot read: No such file or directory" in missing.stderr
