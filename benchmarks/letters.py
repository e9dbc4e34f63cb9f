"""The cost of 400 decision letters as PDF/A-2b files, against a baseline in the same run.

Each letter (seed 002's Kompetanseløftet shape: a network or a municipality, nb or nn, every outcome,
reasons, conditions, a withheld payment now and then, an appeal paragraph for private owners) is
rendered with `bot.pdf.letter.letter_pdf` and written to a file. The baseline renders the same
letter's text from the same template (`letter_text`) and writes it to a plain text file: the ratio
is what the PDF (layout, fonts, PDF/A) costs on top of the words.

    .venv/bin/python benchmarks/letters.py                 # 400 letters
    .venv/bin/python benchmarks/letters.py --quick         # 40 letters, a smoke run
    .venv/bin/python benchmarks/letters.py --fonts /usr/share/fonts/truetype/dejavu
                                                           # the same with the full DejaVu fonts

Exits 1 if a letter is not a PDF or lacks its amount.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from statistics import median

from common import machine, percentile

import bot.pdf.layout
from bot.formatting import NBSP, format_money
from bot.pdf.letter import (
    Appeal,
    ContactPerson,
    DecisionLetter,
    Outcome,
    Payment,
    Reason,
    Recipient,
    ReportingDuty,
    Sender,
    Signatory,
    UnspentRule,
    letter_pdf,
    letter_text,
)
from models.clock import fixed_clock

CLOCK = fixed_clock(datetime(2025, 3, 20, 9, 30, tzinfo=UTC))
REASONS = {
    "nb": ("a) Hvem som prioriteres", "b) Forankring i lokale behov", "i) Ubrukte midler fra tidligere år"),
    "nn": ("a) Kven som blir prioriterte", "b) Forankring i lokale behov", "i) Ubrukte midlar frå tidlegare år"),
}
COMMENT = {
    "nb": "Søknaden er godt forankret i nettverkets behov, og samarbeidet med UH er tydelig beskrevet.",
    "nn": "Søknaden er godt forankra i behova til nettverket, og samarbeidet med UH er tydeleg skildra.",
}


def letter(i: int) -> DecisionLetter:
    lang = "nn" if i % 3 == 0 else "nb"
    outcome = (Outcome.full, Outcome.partial, Outcome.full, Outcome.rejected)[i % 4]
    frame = 600_000 + 7_919 * i
    asked = frame + (i * 104_729) % 200_000 - 100_000
    amount = 0 if outcome == Outcome.rejected else min(asked, frame) if outcome == Outcome.partial else frame
    private = i % 5 == 0
    return DecisionLetter(
        lang=lang,
        sender=Sender(
            "Statsforvaltaren i Trøndelag" if lang == "nn" else "Statsforvalteren i Trøndelag",
            "Oppvekst- og utdanningsavdelinga" if lang == "nn" else "Oppvekst- og utdanningsavdelingen",
            "Postboks 2600, 7734 Steinkjer",
            "sftlpost@statsforvalteren.no",
        ),
        recipient=Recipient(
            f"Barnehageeier {i} AS" if private else f"Kompetansenettverk nr. {i} i Trøndelag",
            f"B{i:04d}",
            address=(f"Storgata {i}", "7500 Stjørdal"),
            attention=f"Kontakt Ødegård {i}",
        ),
        case_number=f"2025/{1000 + i}",
        letter_date=date(2025, 3, 20),
        scheme="Kompetanseløftet 2025",
        outcome=outcome,
        amount=amount,
        asked=asked,
        frame=frame,
        contact=ContactPerson("Åse Øvrebø", "sfoaase@statsforvalteren.no", "74 16 80 00"),
        their_reference=f"2025/1234-B{i:04d}-1",
        comment=COMMENT[lang],
        reasons=tuple(Reason(label, COMMENT[lang]) for label in REASONS[lang][: 1 + i % 3]),
        conditions=("Samarbeidet med UH skal fortsette.",) if i % 2 else (),
        payment=Payment(withheld_until="nettverket har hatt dialog med SF og UH") if i % 7 == 0 else Payment(),
        reporting=ReportingDuty("Rapport for Kompetanseløftet 2025", date(2026, 3, 1)),
        unspent=(UnspentRule.repay, UnspentRule.carry_over, UnspentRule.deduct)[i % 3],
        appeal=Appeal("Utdanningsdirektoratet") if private else None,
        signatories=(Signatory("Kari Ås", "direktør"), Signatory("Per Berg", "seniorrådgiver")),
    )


def timed(work: list[float], function: object, *args: object) -> object:
    assert callable(function)
    started = time.perf_counter_ns()
    result = function(*args)
    work.append((time.perf_counter_ns() - started) / 1e6)
    return result


def write_pdf(directory: Path, n: int, item: DecisionLetter) -> bytes:
    data = letter_pdf(item, CLOCK)
    (directory / f"letter-{n:04d}.pdf").write_bytes(data)
    return data


def write_text(directory: Path, n: int, item: DecisionLetter) -> str:
    text = letter_text(item)
    (directory / f"letter-{n:04d}.txt").write_text(text, encoding="utf-8")
    return text


def stats(values: list[float]) -> str:
    return f"{sum(values) / 1000:>9.2f} s{median(values):>10.2f}{percentile(values, 95):>9.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=400, help="letters to render (default 400)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 40 letters")
    parser.add_argument("--fonts", type=Path, help="a directory with other DejaVuSans*.ttf files to use")
    args = parser.parse_args()
    count = 40 if args.quick else args.letters
    if args.fonts:
        bot.pdf.layout.FONT_DIR = args.fonts
        bot.pdf.layout.drawable.cache_clear()
    print(machine())
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    letters = [letter(i) for i in range(count)]
    with tempfile.TemporaryDirectory(prefix="frist-letters-warm-") as warm:  # imports, templates, font cmap
        for n, item in enumerate(letters[:2]):  # an nn and an nb letter
            write_text(Path(warm), n, item)
            write_pdf(Path(warm), n, item)
    pdf_ms: list[float] = []
    text_ms: list[float] = []
    sizes: list[int] = []
    bad = 0
    with tempfile.TemporaryDirectory(prefix="frist-letters-") as tmp:
        directory = Path(tmp)
        gc.collect()
        for n, item in enumerate(letters):  # interleaved, so that both see the same machine load
            text = timed(text_ms, write_text, directory, n, item)
            data = timed(pdf_ms, write_pdf, directory, n, item)
            assert isinstance(data, bytes) and isinstance(text, str)
            sizes.append(len(data))
            amount = format_money(item.amount).replace(NBSP, " ")
            bad += not data.startswith(b"%PDF-1.7") or amount not in text.replace(NBSP, " ")
        pages = sum(_pages(path.read_bytes()) for path in directory.glob("*.pdf"))
    nynorsk = sum(1 for x in letters if x.lang == "nn")
    print(f"{count} letters ({nynorsk} nn), {pages} pages, fonts {bot.pdf.layout.FONT_DIR}")
    print(f"PDF size: median {median(sizes) / 1024:.1f} KiB, total {sum(sizes) / 1024 / 1024:.1f} MiB")
    print(f"\n{'per letter (ms)':<44}{'total':>11}{'median':>10}{'p95':>9}")
    print(f"{'baseline: letter_text -> .txt file':<44}{stats(text_ms)}")
    print(f"{'letter_pdf -> .pdf file (PDF/A-2b)':<44}{stats(pdf_ms)}")
    print(f"{'ratio PDF / text (median)':<44}{median(pdf_ms) / median(text_ms):>21.1f}")
    print(f"{'ratio PDF / text (total)':<44}{sum(pdf_ms) / sum(text_ms):>21.1f}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if bad:
        print(f"FAILED: {bad} letters are not PDFs or lack their amount")
        return 1
    return 0


def _pages(data: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


if __name__ == "__main__":
    sys.exit(main())
