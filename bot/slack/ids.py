"""Every action_id and callback_id, shared by the code that builds a view and the code that reads it."""

from __future__ import annotations

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


class View(StrEnum):
    edit = "frist_edit_modal"
    submission = "frist_submission_modal"


SLASH_COMMAND = "/frist"
