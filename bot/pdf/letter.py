"""The decision letter (vedtaksbrev): what it says, as data, and the letter as text and as PDF.

The decision domain fills a `DecisionLetter`; `letter_pdf` renders it with the template
`<lang>/letter_decision.j2` (bokmål or nynorsk: the recipient organisation's language form) and lays
it out as PDF/A-2b. `letter_text` is the same text without the PDF, for a preview or a summary.
All amounts are whole kroner; all texts in the data are already in the letter's language form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.pdf.blocks import parse_blocks
from bot.pdf.layout import PdfDocument, render_pdf
from bot.render import render
from bot.settings import Settings
from models.clock import Clock, system_clock


class Outcome(StrEnum):
    """Granted in full (innvilget), partly (delvis innvilget), or rejected (avslått)."""

    full = "full"
    partial = "partial"
    rejected = "rejected"


class UnspentRule(StrEnum):
    """What happens to money not spent by the end of the period (restmidler)."""

    repay = "repay"  # pay it back to the county governor
    carry_over = "carry_over"  # may be used the next year for the same purpose, when reported with a plan
    deduct = "deduct"  # reported, and deducted from next year's grant


@dataclass(frozen=True)
class Sender:
    """The county governor and its department, e.g. from settings (`letter_sender`)."""

    authority: str  # "Statsforvalteren i Trøndelag"
    department: str | None = None  # "Oppvekst- og utdanningsavdelingen"
    address: str | None = None  # one line: "Postboks 2600, 7734 Steinkjer"
    email: str | None = None  # "sftlpost@statsforvalteren.no"


@dataclass(frozen=True)
class Recipient:
    """The organisation the decision is for; `attention` is the contact person it goes to."""

    name: str
    org_id: str
    address: tuple[str, ...] = ()
    attention: str | None = None


@dataclass(frozen=True)
class ContactPerson:
    """Who at the county governor answers questions about the letter (saksbehandler)."""

    name: str
    email: str | None = None
    phone: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Reason:
    """One criterion comment the secretariat chose to give in the letter."""

    criterion: str  # the criterion's label in the letter's language form
    comment: str


@dataclass(frozen=True)
class Payment:
    """When the grant is paid; `withheld_until` states the condition in words when it is held back."""

    paid_by: date | None = None
    withheld_until: str | None = None


@dataclass(frozen=True)
class ReportingDuty:
    """The report that follows the grant (the report call's title) and its deadline."""

    report: str
    deadline: date


@dataclass(frozen=True)
class Appeal:
    """Set only when the decision is an individual decision (enkeltvedtak, forvaltningsloven § 2):
    then the letter states the right of appeal (§§ 28-29): within `weeks` of receiving the letter,
    to `appeal_body`, sent through the county governor that decided."""

    appeal_body: str  # "Utdanningsdirektoratet"
    weeks: int = 3


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str | None = None


@dataclass(frozen=True)
class DecisionLetter:
    """Everything one decision letter says. `amount` is what is granted (0 when rejected); `asked`
    and `frame` are shown beside it when known; `title` overrides the template's title."""

    lang: str  # "nb" or "nn": the recipient's language form
    sender: Sender
    recipient: Recipient
    case_number: str  # our reference, "2025/1234"
    letter_date: date
    scheme: str  # the call's title in the letter's language form
    outcome: Outcome
    amount: int
    contact: ContactPerson
    asked: int | None = None
    frame: int | None = None
    their_reference: str | None = None  # e.g. the receipt number of the application
    comment: str | None = None  # the overall reasons, in words
    reasons: tuple[Reason, ...] = ()
    conditions: tuple[str, ...] = ()
    payment: Payment = field(default_factory=Payment)
    reporting: ReportingDuty | None = None
    unspent: UnspentRule = UnspentRule.repay
    unspent_text: str | None = None  # the call's own words on unspent funds; shown instead of `unspent`
    appeal: Appeal | None = None
    signatories: tuple[Signatory, ...] = ()
    copy_to: tuple[str, ...] = ()
    title: str | None = None
    version: int = 1  # > 1: an amended decision, which replaces the earlier letter
    draft: bool = False  # a preview before the decision, marked as such on the page and in the title


def letter_text(letter: DecisionLetter) -> str:
    """The letter in the block markup of bot/pdf/blocks.py (readable as plain text too)."""
    return render(letter.lang, "letter_decision", letter=letter)


def letter_title(letter: DecisionLetter) -> str:
    return letter.title or render(letter.lang, "letter_decision_title", letter=letter)


def letter_pdf(letter: DecisionLetter, clock: Clock = system_clock) -> bytes:
    """The letter as a PDF/A-2b file; its creation date comes from `clock`."""
    document = PdfDocument(
        title=letter_title(letter),
        lang=letter.lang,
        author=letter.sender.authority,
        subject=letter.scheme,
        created=clock(),
        blocks=parse_blocks(letter_text(letter)),
        footer=render(letter.lang, "pdf_footer", reference=letter.case_number),
        keywords=(letter.case_number, letter.recipient.name),
    )
    return render_pdf(document)


def letter_sender(settings: Settings, lang: str) -> Sender:
    """The sender of letters in language form `lang`: the `FRIST_LETTER_*` settings (the `_NN` ones,
    when set, for nynorsk: "Statsforvaltaren i Trøndelag", "Utdanningsavdelinga")."""
    nynorsk = lang == "nn"
    return Sender(
        authority=(settings.letter_authority_nn if nynorsk else None) or settings.letter_authority,
        department=(settings.letter_department_nn if nynorsk else None) or settings.letter_department,
        address=settings.letter_address,
        email=settings.secretariat_email,
    )
