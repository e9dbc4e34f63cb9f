"""Every action_id and callback_id, and the payloads carried in block ids, button values and modal
metadata: each with its encode and decode, shared by the code that builds a view and the code that
reads it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    answer = "frist_answer"  # a button, select or date picker answering the current question
    answer_many = "frist_answer_many"  # a multi-select answering a multichoice question
    answer_date = "frist_answer_date"
    submit = "frist_submit"
    edit = "frist_edit"
    start = "frist_start"  # start or resume a call (announcement, App Home, status)
    view_submission = "frist_view_submission"  # secretariat: open a submission in a modal
    snooze = "frist_snooze"  # a reminder: remind me tomorrow
    decline = "frist_decline"  # a reminder: we will not apply this time (confirmed)
    decide = "frist_decide"  # secretariat: fix the recommendations as decisions (confirmed)
    assess = "frist_assess"  # an assessor: assess a submission against the call's criteria (a modal)
    recommend = "frist_recommend"  # secretariat: set one org's recommendation (a modal); a button or a select
    recommend_default = "frist_recommend_default"  # secretariat: what was asked, capped, for the rest (confirmed)
    preview_letter = "frist_preview_letter"  # secretariat: the letter a recommendation would give, as a draft PDF
    amend = "frist_amend"  # secretariat: amend one org's decision (a modal); a button or a select


class View(StrEnum):
    edit = "frist_edit_modal"
    submission = "frist_submission_modal"
    assess = "frist_assess_modal"
    recommend = "frist_recommend_modal"
    amend = "frist_amend_modal"


SLASH_COMMAND = "/frist"


@dataclass(frozen=True)
class QuestionRef:
    """The block id of a question's controls: which question a click answers, so that a click on
    an old message never answers a newer question."""

    call_id: str
    position: str | None

    def encode(self) -> str:
        return json.dumps({"c": self.call_id, "p": self.position}, ensure_ascii=False)

    @classmethod
    def decode(cls, block_id: str) -> QuestionRef:
        data = json.loads(block_id)
        return cls(str(data["c"]), data.get("p"))


@dataclass(frozen=True)
class ReviewRef:
    """The value of the review's `Send inn` and `Endre` buttons: the call and the revision shown."""

    call_id: str
    revision: int

    def encode(self) -> str:
        return json.dumps({"c": self.call_id, "r": self.revision})

    @classmethod
    def decode(cls, value: str) -> ReviewRef:
        data = json.loads(value)
        return cls(str(data["c"]), int(data.get("r") or 0))


@dataclass(frozen=True)
class EditModalRef:
    """The edit modal's private metadata: the call, the draft's version when it opened, and the
    channel its reply goes to."""

    call_id: str
    version: int
    channel: str | None

    def encode(self) -> str:
        return json.dumps({"c": self.call_id, "v": self.version, "ch": self.channel})

    @classmethod
    def decode(cls, metadata: str | None) -> EditModalRef:
        data = json.loads(metadata or "{}")
        return cls(str(data["c"]), int(data["v"]), data.get("ch"))


@dataclass(frozen=True)
class AssessRef:
    """The assessment modal's private metadata: the submission and the page of criteria shown."""

    submission_id: int
    page: int = 0

    def encode(self) -> str:
        return json.dumps({"s": self.submission_id, "p": self.page})

    @classmethod
    def decode(cls, metadata: str | None) -> AssessRef:
        data = json.loads(metadata or "{}")
        return cls(int(data["s"]), int(data.get("p") or 0))


@dataclass(frozen=True)
class RecommendRef:
    """One org in one call: the value of the `Innstilling` and `Endre vedtak` buttons and of each
    option of the selects under the recommendation table, and those modals' private metadata, where
    `version` is the version of the recommendation (0: none) or decision the modal showed."""

    call_id: str
    org_id: str
    version: int | None = None

    def encode(self) -> str:
        data: dict[str, object] = {"c": self.call_id, "o": self.org_id}
        if self.version is not None:
            data["v"] = self.version
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def decode(cls, value: str | None) -> RecommendRef:
        data = json.loads(value or "{}")
        version = data.get("v")
        return cls(str(data["c"]), str(data["o"]), None if version is None else int(version))
