"""Candidate phrasings in the domain (SQLite and PostgreSQL): what citizens' taps and 👍 propose,
what is skipped, and what staff decisions do to the entry, its history and the knowledge
version."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge_base.conversations.models import Chat, Outcome, QuestionLog
from knowledge_base.conversations.service import purge_old_questions, record_feedback
from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import session_scope
from knowledge_base.knowledge.entries import (
    delete_entry,
    entry_by_slug,
    knowledge_version,
    revisions,
)
from knowledge_base.learning.decisions import (
    CandidateDecided,
    CandidateNotFound,
    accept,
    pending_candidates,
    reject,
)
from knowledge_base.learning.models import CandidateSighting, CandidateSource, CandidateStatus
from knowledge_base.learning.proposals import propose_from_helpful_vote, propose_from_suggestion_tap
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import AuditLog, StaffRole, StaffUser
from tests.learning_fixtures import (
    CHAT,
    PHRASINGS,
    QUESTION,
    SLUG,
    add_candidate,
    candidates,
    log_question,
    store_entry,
)
from tests.security.test_pii_masking import leaks

WORDING = "logistik pemilu habis pemilu ditaruh dimana"
NIK = "1371021234560004"
RAW_NIK_QUESTION = "nik sy 1371/0212/3456/0004 logistik pemilu disimpan di mana"


@pytest.fixture
def entry(engine: Engine) -> int:
    return store_entry(engine)


def _staff(engine: Engine, username: str = "ppid1") -> StaffUser:
    with session_scope(engine) as session:
        return create_staff(
            session, username=username, password="kata-sandi-uji-123", role=StaffRole.STAFF
        )


def _tap(engine: Engine, log_id: int, chat: int = CHAT, slug: str = SLUG) -> bool:
    with session_scope(engine) as session:
        proposed = propose_from_suggestion_tap(
            session, log_id=log_id, telegram_chat_id=chat, entry_slug=slug
        )
        return proposed is not None


def _vote(engine: Engine, log_id: int, *, helpful: bool) -> None:
    """The citizen's vote as the bot stores it, then what it proposes."""
    with session_scope(engine) as session:
        log = session.get(QuestionLog, log_id)
        chat = session.get(Chat, log.chat_id)
        record_feedback(session, log_id=log_id, chat=chat, helpful=helpful)
        propose_from_helpful_vote(session, log=log)


def _answered(engine: Engine, text: str = WORDING) -> int:
    return log_question(engine, text, outcome=Outcome.ANSWER, entry_slug=SLUG)


def test_a_tapped_suggestion_proposes_the_question_for_the_tapped_entry(
    engine: Engine, entry: int
) -> None:
    assert _tap(engine, log_question(engine, WORDING))

    [candidate] = candidates(engine)
    assert (candidate.entry_id, candidate.text, candidate.source) == (
        entry,
        WORDING,
        CandidateSource.SUGGESTION_TAP,
    )
    assert (candidate.status, candidate.times_seen) == (CandidateStatus.PENDING, 1)


def test_a_helpful_vote_proposes_the_question_for_the_answered_entry(
    engine: Engine, entry: int
) -> None:
    _vote(engine, _answered(engine), helpful=True)

    [candidate] = candidates(engine)
    assert (candidate.entry_id, candidate.text, candidate.source) == (
        entry,
        WORDING,
        CandidateSource.HELPFUL_VOTE,
    )


def test_a_not_helpful_vote_proposes_nothing(engine: Engine, entry: int) -> None:
    _vote(engine, _answered(engine), helpful=False)

    assert candidates(engine) == []


def test_a_nik_stored_unmasked_by_an_old_masker_never_reaches_a_candidate(
    engine: Engine, entry: int
) -> None:
    assert _tap(engine, log_question(engine, RAW_NIK_QUESTION))

    [candidate] = candidates(engine)
    assert not leaks(NIK, candidate.text) and not leaks(NIK, candidate.text_key)
    assert candidate.text == "nik sy [NIK] logistik pemilu disimpan di mana"


def test_the_same_wording_for_the_same_entry_is_one_row_counted_up(
    engine: Engine, entry: int
) -> None:
    _tap(engine, log_question(engine, WORDING))
    again = log_question(engine, "Logistik  pemilu habis pemilu DITARUH dimana?", chat=7002)
    _tap(engine, again, chat=7002)

    [candidate] = candidates(engine)
    assert (candidate.text, candidate.times_seen) == (WORDING, 2)


def test_one_logged_question_proposes_only_once(engine: Engine, entry: int) -> None:
    log_id = log_question(engine, WORDING)
    assert _tap(engine, log_id)

    replayed = _tap(engine, log_id)

    assert not replayed
    assert [c.times_seen for c in candidates(engine)] == [1]


def test_the_same_wording_for_another_entry_is_its_own_candidate(
    engine: Engine, entry: int
) -> None:
    store_entry(engine, "gudang-logistik", question="Siapa yang menjaga gudang logistik?")
    _tap(engine, log_question(engine, WORDING))
    _tap(engine, log_question(engine, WORDING, chat=7002), chat=7002, slug="gudang-logistik")

    assert [(c.text, c.times_seen) for c in candidates(engine)] == [(WORDING, 1), (WORDING, 1)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "logistik",  # one word
        "[NIK] 0812",  # nothing but numbers
        "logistik pemilu " * 25,  # longer than a phrasing may be
        PHRASINGS[0],
        PHRASINGS[0].upper() + " ?",  # the same phrasing, typed differently
        QUESTION,  # the suggested question itself, the text of the button
        "di mana logistik pemilu disimpan",
    ],
)
def test_a_wording_that_teaches_nothing_is_not_proposed(
    engine: Engine, entry: int, text: str
) -> None:
    assert not _tap(engine, log_question(engine, text))

    assert candidates(engine) == []


def test_a_tap_under_another_chats_suggestions_proposes_nothing(engine: Engine, entry: int) -> None:
    victims_log = log_question(engine, WORDING, chat=7001)
    log_question(engine, "apa itu dpt", chat=7002)

    assert not _tap(engine, victims_log, chat=7002)

    assert candidates(engine) == []


def test_a_tap_naming_a_question_that_got_no_suggestions_proposes_nothing(
    engine: Engine, entry: int
) -> None:
    assert not _tap(engine, _answered(engine))

    assert candidates(engine) == []


def test_a_tap_on_an_entry_that_does_not_exist_proposes_nothing(engine: Engine, entry: int) -> None:
    assert not _tap(engine, log_question(engine, WORDING), slug="tidak-ada")

    with Session(engine) as session:
        assert session.exec(select(CandidateSighting)).all() == []


def test_accepting_adds_the_phrasing_with_a_revision_and_a_new_knowledge_version(
    engine: Engine, entry: int
) -> None:
    candidate_id = add_candidate(engine, WORDING)
    staff = _staff(engine)
    with Session(engine) as session:
        version_before = knowledge_version(session)

    with session_scope(engine) as session:
        accept(session, candidate_id=candidate_id, staff=staff)

    with Session(engine) as session:
        stored = entry_by_slug(session, SLUG)
        history = revisions(session, SLUG)
        assert stored.phrasings == [*PHRASINGS, WORDING]
        assert stored.status == "published"
        assert (history[-1].changed_by, history[-1].changed_fields) == ("ppid1", ["phrasings"])
        assert knowledge_version(session) == version_before + 1
    [candidate] = candidates(engine)
    assert (candidate.status, candidate.decided_by_id) == (CandidateStatus.ACCEPTED, staff.id)
    assert candidate.decided_at is not None


def test_accepting_into_a_draft_makes_the_acceptor_one_who_may_not_publish_it(
    engine: Engine,
) -> None:
    store_entry(engine, status="draft")
    candidate_id = add_candidate(engine, WORDING)
    staff = _staff(engine)

    with session_scope(engine) as session:
        accept(session, candidate_id=candidate_id, staff=staff)

    with Session(engine) as session:
        draft = entry_by_slug(session, SLUG)
        assert (draft.status, draft.editor_ids) == ("draft", [staff.id])


def test_each_decision_is_audited_with_its_entry(engine: Engine, entry: int) -> None:
    accepted, rejected = add_candidate(engine, WORDING), add_candidate(engine, "gudang kpu di mana")
    staff = _staff(engine)

    with session_scope(engine) as session:
        accept(session, candidate_id=accepted, staff=staff)
        reject(session, candidate_id=rejected, staff=staff)

    with Session(engine) as session:
        audit = session.exec(select(AuditLog).order_by(AuditLog.id)).all()
    assert [(a.action, a.resource_id, a.staff_id, a.detail["entry"]) for a in audit] == [
        ("kb.candidate.accept", str(accepted), staff.id, SLUG),
        ("kb.candidate.reject", str(rejected), staff.id, SLUG),
    ]


def test_rejecting_leaves_the_entry_and_the_knowledge_version_alone(
    engine: Engine, entry: int
) -> None:
    candidate_id = add_candidate(engine, WORDING)
    staff = _staff(engine)
    with Session(engine) as session:
        version_before = knowledge_version(session)

    with session_scope(engine) as session:
        reject(session, candidate_id=candidate_id, staff=staff)

    with Session(engine) as session:
        assert entry_by_slug(session, SLUG).phrasings == PHRASINGS
        assert knowledge_version(session) == version_before
    assert candidates(engine)[0].status == CandidateStatus.REJECTED


def test_a_rejected_wording_seen_again_is_counted_but_stays_rejected(
    engine: Engine, entry: int
) -> None:
    candidate_id = add_candidate(engine, WORDING)
    with session_scope(engine) as session:
        reject(session, candidate_id=candidate_id, staff=_staff(engine))

    _tap(engine, log_question(engine, WORDING, chat=7002), chat=7002)

    [candidate] = candidates(engine)
    assert (candidate.status, candidate.times_seen) == (CandidateStatus.REJECTED, 2)


@pytest.mark.parametrize("decide", [accept, reject])
def test_a_decided_candidate_cannot_be_decided_again(engine: Engine, entry: int, decide) -> None:
    candidate_id = add_candidate(engine, WORDING)
    staff = _staff(engine)
    with session_scope(engine) as session:
        accept(session, candidate_id=candidate_id, staff=staff)

    with session_scope(engine) as session, pytest.raises(CandidateDecided) as refused:
        decide(session, candidate_id=candidate_id, staff=staff)

    assert refused.value.status == CandidateStatus.ACCEPTED


def test_an_unknown_candidate_is_not_found(engine: Engine, entry: int) -> None:
    staff = _staff(engine)

    with session_scope(engine) as session, pytest.raises(CandidateNotFound):
        reject(session, candidate_id=999, staff=staff)


def test_pending_candidates_come_most_seen_first_with_their_entry_question(
    engine: Engine, entry: int
) -> None:
    add_candidate(engine, "gudang kpu di mana")
    add_candidate(engine, WORDING)
    add_candidate(engine, WORDING)

    with Session(engine) as session:
        items, total = pending_candidates(session)

    assert total == 2
    assert [(v.text, v.times_seen, v.entry_slug, v.entry_question) for v in items] == [
        (WORDING, 2, SLUG, QUESTION),
        ("gudang kpu di mana", 1, SLUG, QUESTION),
    ]


def test_deleting_an_entry_deletes_its_candidates(engine: Engine, entry: int) -> None:
    add_candidate(engine, WORDING)

    with session_scope(engine) as session:
        delete_entry(session, entry=entry_by_slug(session, SLUG), changed_by="uji")

    assert candidates(engine) == []


def test_purging_old_questions_keeps_their_candidates(engine: Engine, entry: int) -> None:
    add_candidate(engine, WORDING)

    with session_scope(engine) as session:
        purge_old_questions(session, older_than=utcnow() + timedelta(days=1))

    with Session(engine) as session:
        assert session.exec(select(QuestionLog)).all() == []
        assert session.exec(select(CandidateSighting)).all() == []
    assert [c.text for c in candidates(engine)] == [WORDING]
