"""Seed 002 end to end at the use-case level: the eleven networks of Kompetanseløftet 2025 send in
their needs, the forum's groups assess, the forum's table is imported, the secretariat decides and
amends; the table's totals and the three deviations are the forum's."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from intake.actors import CLI, Actor, RefusalReason, Refused
from intake.assess import Marked, assess, declare_disqualified
from intake.decide import Decided, amend, decide, letter_intent
from intake.import_errors import DataImportError
from intake.recommend import Proposal, apply_default, recommend
from intake.recommendation_import import import_recommendations
from intake.recommendation_table import Deviation, recommendation_table
from models import AuditEntry, Decision, Mark, Organisation, OrgKind, OutboxKind, OutboxMessage, Outcome, enqueue
from tests.support.kompetanse import CALL, FORUM_TABLE, NETWORKS, seed_kompetanse
from tests.support.seed import NOW

GROUP_1 = Actor("U0GRP1NTNU")  # listed in the demo call's `assessors`
OUTSIDER = Actor("U0NOBODY")
CONTACT = Actor("U0KARI")  # a municipality contact: not an assessor, not the secretariat
SECRETARIAT = Actor("U0SEKR", secretariat=True)


@pytest.fixture
def kl(session: Session) -> Session:
    seed_kompetanse(session, NOW)
    return session


def refusals(session: Session) -> list[tuple[str, str | None, str, str]]:
    rows = session.exec(select(AuditEntry).where(AuditEntry.action == "refused").order_by(col(AuditEntry.id)))
    return [(row.actor, row.org_id, row.detail["attempted"], row.detail["reason"]) for row in rows]


def letters(session: Session) -> list[str]:
    rows = session.exec(select(OutboxMessage.key).where(OutboxMessage.kind == OutboxKind.letter))
    return sorted(rows)


def test_the_forum_table_imported_gives_the_forums_totals_and_deviations(kl: Session) -> None:
    assess(kl, GROUP_1, CALL, "nett-ytre-namdal", {"j": Marked(Mark.merknad, "Plan mangler")}, "Fyll opp ramma", NOW)
    report = import_recommendations(kl, CLI, CALL, FORUM_TABLE, NOW)
    assert len(report.changed) == 11
    table = recommendation_table(kl, CALL)
    assert table.totals.frames == 11_400_000
    assert table.totals.asked == 11_400_000 - 100_000 - 163_881 + 779 == 11_136_898
    assert table.totals.recommended == 11_400_000
    assert (table.budget, table.left) == (11_400_000, 0)
    # Part b) of the recommendation: kr 10 100 000 once the networks' coordination is set aside.
    coordination = sum(coord for _frame, _need, coord in NETWORKS.values())
    assert (coordination, table.totals.recommended - coordination) == (1_300_000, 10_100_000)
    deviations = {row.standing.org.id: row.deviation for row in table.deviations}
    assert deviations == {
        "nett-ytre-namdal": Deviation.above_asked,  # filled up to its frame
        "nett-varnes": Deviation.above_asked,  # its full frame, after a dialogue
        "nett-indre-namdal": Deviation.capped,  # capped at its frame
    }
    [withheld] = table.withheld
    assert withheld.standing.org.id == "nett-varnes" and withheld.recommendation is not None
    assert withheld.recommendation.withhold == "Værnes går i dialog med SF og UH"
    assert withheld.recommended == 793_881 and withheld.asked == 630_000
    indre = next(row for row in table.rows if row.standing.org.id == "nett-indre-namdal")
    assert indre.recommendation is not None and indre.recommendation.outcome == Outcome.partial
    assert len(table.unassessed) == 10 and "nett-ytre-namdal" not in {r.standing.org.id for r in table.unassessed}
    assert not table.without_recommendation and not table.decided


def test_the_quick_default_is_what_was_asked_capped_at_the_frame_and_keeps_what_was_set(kl: Session) -> None:
    recommend(kl, CLI, CALL, "nett-varnes", Proposal(Outcome.full, 793_881, "Hele ramma", withhold="Dialog"), NOW)
    done = apply_default(kl, CLI, CALL, NOW)
    assert len(done.set) == 10 and done.kept == ["nett-varnes"] and not done.without
    rows = {row.standing.org.id: row.recommendation for row in recommendation_table(kl, CALL).rows}
    ytre, indre, varnes = rows["nett-ytre-namdal"], rows["nett-indre-namdal"], rows["nett-varnes"]
    assert ytre is not None and (ytre.outcome, ytre.amount) == (Outcome.full, 349_418)
    assert indre is not None and (indre.outcome, indre.amount) == (Outcome.partial, 379_221)
    assert varnes is not None and (varnes.amount, varnes.withhold, varnes.version) == (793_881, "Dialog", 1)
    # Edited afterwards like any other: Ytre Namdal filled up to its frame, with the reason.
    with pytest.raises(DataImportError, match="comment: why more than the kr 349418 asked for"):
        recommend(kl, CLI, CALL, "nett-ytre-namdal", Proposal(Outcome.full, 449_418), NOW)
    assert recommend(kl, CLI, CALL, "nett-ytre-namdal", Proposal(Outcome.full, 449_418, "Fylt opp"), NOW)
    assert recommendation_table(kl, CALL).totals.recommended == 11_400_000 - 163_881 + 163_881


def test_a_bad_forum_table_names_every_bad_row_and_writes_nothing(kl: Session) -> None:
    bad = (
        "org_id;outcome;amount;comment;withhold\n"
        "nett-innherred;innstilt;754 521;;\n"
        "nett-fosen;kanskje;643 042;;\n"
        "nett-gauldal;full;mye;;\n"
        "nett-ukjent;full;100 000;;\n"
        "nett-innherred;full;754 521;;\n"
        "nett-ytre-namdal;full;449 418;;\n"
        "nett-vgs;avslått;1 000;;\n"
    )
    with pytest.raises(DataImportError) as caught:
        import_recommendations(kl, CLI, CALL, bad, NOW)
    assert caught.value.problems == [
        "line 3: column outcome: full, partial or rejected (got 'kanskje')",
        "line 4: column amount: an amount in kroner like 449 418 or kr 1,2 mill (got 'mye')",
        "line 5: column org_id: an org eligible in kompetanseloftet-2025 (got 'nett-ukjent')",
        "line 6: column org_id: each org once (also on line 2) (got 'nett-innherred')",
        "line 7: nett-ytre-namdal: comment: why more than the kr 349418 asked for is recommended",
        "line 8: nett-vgs: amount: kr 0 or nothing for a rejection (got 1000)",
    ]
    kl.rollback()
    assert all(row.recommendation is None for row in recommendation_table(kl, CALL).rows)
    with pytest.raises(DataImportError, match="line 1: column beløp: one of org_id"):
        import_recommendations(kl, CLI, CALL, "org_id,outcome,beløp\nnett-fosen,full,1\n", NOW)


def test_who_may_assess_recommend_and_decide_and_every_refusal_is_audited(kl: Session) -> None:
    ytre = "nett-ytre-namdal"
    for actor in (OUTSIDER, CONTACT):
        with pytest.raises(Refused) as caught:
            assess(kl, actor, CALL, ytre, {"a": Marked(Mark.ok)}, "", NOW)
        assert caught.value.reason == RefusalReason.not_assessor
    assess(kl, GROUP_1, CALL, ytre, {"a": Marked(Mark.ok)}, "", NOW)
    assert declare_disqualified(kl, GROUP_1, CALL, "nett-fosen", "Sitter i styringsgruppa", NOW)
    assert not declare_disqualified(kl, GROUP_1, CALL, "nett-fosen", "igjen", NOW)
    with pytest.raises(Refused, match="disqualified"):
        assess(kl, GROUP_1, CALL, "nett-fosen", {"a": Marked(Mark.ok)}, "", NOW)
    declare_disqualified(kl, SECRETARIAT, CALL, "nett-gauldal", "Nær familie", NOW)
    with pytest.raises(Refused, match="disqualified"):  # the secretariat too, once disqualified
        assess(kl, SECRETARIAT, CALL, "nett-gauldal", {}, "Greit", NOW)
    proposal = Proposal(Outcome.full, 349_418)
    attempts = [
        lambda: recommend(kl, GROUP_1, CALL, ytre, proposal, NOW),
        lambda: import_recommendations(kl, CONTACT, CALL, FORUM_TABLE, NOW),
        lambda: apply_default(kl, OUTSIDER, CALL, NOW),
        lambda: decide(kl, GROUP_1, CALL, NOW),
        lambda: amend(kl, CONTACT, CALL, ytre, proposal, "fordi", NOW),
    ]
    for attempt in attempts:
        with pytest.raises(Refused) as caught:
            attempt()
        assert caught.value.reason == RefusalReason.not_secretariat
    assert refusals(kl) == [
        ("U0NOBODY", ytre, "assess", "not_assessor"),
        ("U0KARI", ytre, "assess", "not_assessor"),
        ("U0GRP1NTNU", "nett-fosen", "assess", "disqualified"),
        ("U0SEKR", "nett-gauldal", "assess", "disqualified"),
        ("U0GRP1NTNU", ytre, "recommend", "not_secretariat"),
        ("U0KARI", None, "recommendation_import", "not_secretariat"),
        ("U0NOBODY", None, "recommend_default", "not_secretariat"),
        ("U0GRP1NTNU", None, "decide", "not_secretariat"),
        ("U0KARI", ytre, "amend", "not_secretariat"),
    ]
    assert recommendation_table(kl, CALL).rows[0].recommendation is None  # nothing was written


def test_a_decision_is_fixed_and_changes_only_by_an_amendment_with_its_own_letter(kl: Session) -> None:
    fosen = kl.get(Organisation, "nett-fosen")
    assert fosen is not None
    fosen.kind = OrgKind.privat  # to see the call's `individual_decision_for: [privat]` at work
    kl.commit()
    import_recommendations(kl, CLI, CALL, FORUM_TABLE, NOW)
    decided = decide(kl, SECRETARIAT, CALL, NOW)
    assert len(decided.decisions) == 11 and decided.letters == 11
    assert {d.org_id for d in decided.decisions if d.individual} == {"nett-fosen"}
    assert letters(kl) == sorted(f"letter:{CALL}:{org_id}:v1" for org_id in NETWORKS)
    later = NOW + timedelta(days=1)
    with pytest.raises(Refused, match="already_decided"):
        decide(kl, SECRETARIAT, CALL, later)
    with pytest.raises(Refused, match="already_decided"):
        recommend(kl, CLI, CALL, "nett-fosen", Proposal(Outcome.full, 1), later)
    with pytest.raises(Refused, match="already_decided"):
        import_recommendations(kl, CLI, CALL, FORUM_TABLE, later)
    with pytest.raises(DataImportError, match="reason: why the decision is changed"):
        amend(kl, SECRETARIAT, CALL, "nett-varnes", Proposal(Outcome.full, 793_881), " ", later)
    # Værnes has had its dialogue with SF and UH: the payment is released by an amendment.
    released = amend(
        kl,
        SECRETARIAT,
        CALL,
        "nett-varnes",
        Proposal(Outcome.full, 793_881, "Dialog holdt"),
        "Dialogen med SF og UH er gjennomført",
        later,
    )
    assert (released.version, released.withhold, released.reason) == (2, None, "Dialogen med SF og UH er gjennomført")
    assert f"letter:{CALL}:nett-varnes:v2" in letters(kl) and len(letters(kl)) == 12
    first = kl.exec(select(Decision).where(Decision.org_id == "nett-varnes", Decision.version == 1)).one()
    assert first.withhold == "Værnes går i dialog med SF og UH"  # the first version stays as it was
    table = recommendation_table(kl, CALL)
    assert table.decided and not table.withheld[0].decision.withhold  # type: ignore[union-attr]
    with pytest.raises(Refused, match="not_decided"):
        amend(kl, SECRETARIAT, "oppfolging-2020", "5052", Proposal(Outcome.full, 1), "x", later)
    audited = kl.exec(select(AuditEntry.action, func.count()).group_by(col(AuditEntry.action))).all()
    assert dict(audited)["decided"] == 11 and dict(audited)["amended"] == 1 and dict(audited)["call_decided"] == 1


def test_a_letter_is_queued_once_per_version_even_when_queued_again_after_a_crash(kl: Session) -> None:
    import_recommendations(kl, CLI, CALL, FORUM_TABLE, NOW)
    decided = decide(kl, SECRETARIAT, CALL, NOW)
    # The process died after the commit: whatever runs next and queues the same versions adds nothing.
    assert enqueue(kl, [letter_intent(decision, NOW) for decision in decided.decisions], NOW) == []
    kl.commit()
    assert len(letters(kl)) == 11


def test_two_decides_at_once_make_one_decision_per_org_and_one_letter_each(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        seed_kompetanse(session, NOW)
        import_recommendations(session, CLI, CALL, FORUM_TABLE, NOW)
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def run() -> None:
        with Session(engine, expire_on_commit=False) as session:
            start.wait(10)
            try:
                outcomes.append(decide(session, SECRETARIAT, CALL, NOW))
            except Refused as refused:
                outcomes.append(refused.reason)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Decided", "RefusalReason"]
    assert RefusalReason.already_decided in outcomes
    assert any(isinstance(outcome, Decided) for outcome in outcomes)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Decision)).one() == 11
        assert len(letters(session)) == 11
