"""The one sample form every test shares (engine, use cases, bot, exports, call files, benchmarks): one of
every kind of field, a condition and each kind of rule; and what a contact types to fill it in. A test
that needs something else derives a variant with copy.deepcopy, named for what it tests."""

from __future__ import annotations

from typing import Any

from intake.spec import FormSpec, parse_form

SAMPLE: dict[str, Any] = {
    "id": "sample",
    "title": {"nb": "Prøveskjema", "nn": "Prøveskjema"},
    "amount": "budsjett.belop",
    "fields": [
        {"id": "mal", "type": "longtext", "label": {"nb": "Mål og tiltak", "nn": "Mål og tiltak"}, "max_length": 500},
        {"id": "ekstern", "type": "yesno", "label": {"nb": "Ekstern partner?", "nn": "Ekstern partnar?"}},
        {
            "id": "partner",
            "type": "text",
            "label": {"nb": "Hvilken partner?", "nn": "Kva partnar?"},
            "when": {"field": "ekstern", "equals": "ja"},
        },
        {"id": "start", "type": "date", "label": "Oppstart"},
        {"id": "deltakere", "type": "integer", "label": "Antall deltakere", "min": 1, "required": False},
        {
            "id": "niva",
            "type": "choice",
            "label": "Nivå",
            "choices": [{"id": "skole", "label": "Skole"}, {"id": "barnehage", "label": "Barnehage"}],
        },
        {
            "id": "malgrupper",
            "type": "multichoice",
            "label": "Målgrupper",
            "choices": [
                {"id": "ledere", "label": "Ledere"},
                {"id": "laerere", "label": "Lærere"},
                {"id": "ppt", "label": "PPT"},
            ],
        },
        {
            "id": "budsjett",
            "type": "table",
            "label": "Budsjett",
            "columns": [
                {"id": "post", "type": "text", "label": "Post"},
                {"id": "belop", "type": "money", "label": "Beløp"},
            ],
        },
        {"id": "egen", "type": "money", "label": {"nb": "Egenfinansiering", "nn": "Eigenfinansiering"}},
        {
            "id": "nivaer",
            "type": "matrix",
            "label": "Nivåer",
            "rows": [{"id": "leder", "label": "Leder"}, {"id": "ansatte", "label": "Ansatte"}],
            "choices": [
                {"id": "ja", "label": "Ja"},
                {"id": "nei", "label": "Nei"},
                {"id": "vet_ikke", "label": {"nb": "Vet ikke", "nn": "Veit ikkje"}},
            ],
        },
        {"id": "forklaring", "type": "longtext", "label": "Hvorfor over rammen?", "required": False},
    ],
    "rules": [
        {
            "type": "forbidden_terms",
            "field": "budsjett",
            "column": "post",
            "terms": ["studietur", "ipad", "servering"],
            "reason": "Utlysningen dekker ikke dette.",
        },
        {"type": "min_ratio", "field": "egen", "of": "budsjett.belop", "ratio": 0.3},
        {"type": "max_of_frame", "field": "budsjett.belop", "explain": "forklaring"},
    ],
}


def sample_form() -> FormSpec:
    return parse_form(SAMPLE)


# Answers to every question of the sample form, in order, as a contact types them: ends at the review.
HAPPY = [
    "Bedre leseopplæring",
    "nei",
    "28.8.27",
    "25",
    "2",
    "1, 3",
    "Frikjøp av ressurslærer; 120 000",
    "Kurs med UH; kr 80 000,-",
    "ferdig",
    "60 000",
    "ja",
    "vet ikke",
]

# Words the engine treats as commands rather than answers (sending is left to each test).
COMMANDS = [
    "tilbake",
    "attende",
    "hopp over",
    "neste",
    "status",
    "hjelp",
    "avbryt",
    "se over",
    "ferdig",
    "fjern 1",
    "endre 3",
    "endre budsjett",
    "ja",
    "nei",
    "1",
    "gjenåpne",
]
