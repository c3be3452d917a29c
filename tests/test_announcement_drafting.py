"""Drafts of announcements: storing and revising them, the stages they can follow, what waits
for a staff member's approval, and the safe browser rendering of Telegram HTML."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge_base.announcements import workflow
from knowledge_base.announcements.drafting import (
    Draft,
    create_draft,
    html_as_plain_text,
    plain_text_as_html,
    revise,
    stage_choices,
)
from knowledge_base.announcements.listing import awaiting_approval_by
from knowledge_base.announcements.models import AnnouncementStatus
from knowledge_base.announcements.telegram_html import preview_html
from knowledge_base.core.db import session_scope
from knowledge_base.knowledge.models import ElectionStage
from knowledge_base.staff.models import StaffUser

DRAFT = Draft(title="Masa tenang", body="Halo.", send_at=datetime(2029, 1, 1, tzinfo=UTC))


def _people(session: Session, *names: str) -> list[StaffUser]:
    people = [StaffUser(username=name, password_hash="-") for name in names]
    session.add_all(people)
    session.flush()
    return people


@pytest.mark.parametrize("text", ["KPU & warga <umum>\nbaris dua", "a &amp; b", "&lt;"])
def test_plain_text_survives_the_way_to_html_and_back(text: str) -> None:
    assert html_as_plain_text(plain_text_as_html(text)) == text


@pytest.mark.parametrize("body", ["<b>tebal</b>", "a &quot;b&quot;", "&#65;"])
def test_a_body_with_markup_is_not_taken_for_plain_text(body: str) -> None:
    assert html_as_plain_text(body) is None


@pytest.mark.parametrize(
    ("telegram", "browser"),
    [
        ("<b>a</b> <i>b</i>", "<b>a</b> <i>b</i>"),
        ("<tg-spoiler>x</tg-spoiler>", '<span class="tg-spoiler">x</span>'),
        (
            '<a href="https://kpu.go.id">KPU</a>',
            '<a href="https://kpu.go.id" rel="noopener noreferrer" target="_blank">KPU</a>',
        ),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ('<b onclick="alert(1)">x</b>', "<b>x</b>"),
        ("<script>alert(1)</script>", "alert(1)"),
        ("<img src=x onerror=alert(1)>", ""),
        ("1 &lt; 2 &amp; 3", "1 &lt; 2 &amp; 3"),
        ("<b>open", "<b>open</b>"),
    ],
)
def test_the_browser_preview_keeps_only_telegram_markup(telegram: str, browser: str) -> None:
    assert preview_html(telegram) == browser


def test_a_new_draft_remembers_its_author_as_an_editor(engine: Engine) -> None:
    with session_scope(engine) as session:
        (author,) = _people(session, "ppid1")

        item = create_draft(session, DRAFT, author)

        assert (item.status, item.author_id, item.editor_ids) == ("draft", author.id, [author.id])


def test_revising_a_scheduled_announcement_sends_it_back_to_draft(engine: Engine) -> None:
    with session_scope(engine) as session:
        author, editor = _people(session, "ppid1", "ppid2")
        item = create_draft(session, DRAFT, author)
        item.status = AnnouncementStatus.SCHEDULED

        revise(session, item, Draft(**{**DRAFT.__dict__, "title": "Ralat"}), editor)

        assert (item.status, item.title, item.editor_ids) == (
            "draft",
            "Ralat",
            [author.id, editor.id],
        )


def test_a_sent_announcement_cannot_be_revised(engine: Engine) -> None:
    with session_scope(engine) as session:
        (author,) = _people(session, "ppid1")
        item = create_draft(session, DRAFT, author)
        item.status = AnnouncementStatus.SENT

        with pytest.raises(workflow.WorkflowError):
            revise(session, item, DRAFT, author)


def test_a_stage_timing_replaces_a_date_and_time(engine: Engine) -> None:
    with session_scope(engine) as session:
        (author,) = _people(session, "ppid1")
        stage = ElectionStage(
            election="Pilkada 2029",
            stage="Masa tenang",
            starts_on=date(2029, 1, 1),
            ends_on=date(2029, 1, 3),
        )
        session.add(stage)
        session.flush()
        item = create_draft(session, DRAFT, author)

        revise(
            session,
            item,
            Draft("Masa tenang", "Halo.", stage_id=stage.id, stage_offset_minutes=-60),
            author,
        )

        assert (item.send_at, item.stage_id, item.stage_anchor, item.stage_offset_minutes) == (
            None,
            stage.id,
            "start",
            -60,
        )


def test_only_stages_not_over_can_be_chosen_besides_the_one_already_chosen(engine: Engine) -> None:
    with session_scope(engine) as session:
        over, running, chosen = (
            ElectionStage(election="P", stage=name, starts_on=start, ends_on=end)
            for name, start, end in (
                ("Selesai", date(2024, 1, 1), date(2024, 1, 2)),
                ("Berjalan", date(2026, 12, 1), date(2026, 12, 9)),
                ("Dipilih", date(2024, 2, 1), date(2024, 2, 2)),
            )
        )
        session.add_all([over, running, chosen])
        session.flush()

        names = [s.stage for s in stage_choices(session, today=date(2026, 12, 2), keep=chosen.id)]

    assert names == ["Dipilih", "Berjalan"]


def test_the_approval_queue_leaves_out_what_i_wrote_or_changed(engine: Engine) -> None:
    with session_scope(engine) as session:
        writer, editor, colleague = _people(session, "ppid1", "ppid2", "ppid3")
        item = create_draft(session, DRAFT, writer)
        workflow.record_editor(item, editor)
        workflow.submit(session, item)
        session.flush()

        queues = {
            who.username: awaiting_approval_by(session, who) for who in (writer, editor, colleague)
        }

    assert queues == {"ppid1": [], "ppid2": [], "ppid3": [item]}
