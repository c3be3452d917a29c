"""Staff edits to the stage calendar, one stage at a time: add, change (by id, so a stage can
be renamed), with every problem named per field in Indonesian. Deleting is
``entries.delete_stage``. Every change bumps the knowledge version, so bots reload the
calendar that "current stage" answers are computed from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError
from sqlmodel import Session, select

from knowledge_base.knowledge.entries import bump_knowledge_version, stage_to_record
from knowledge_base.knowledge.models import ElectionStage
from knowledge_base.knowledge.records import StageRecord

PROBLEMS = {
    "election": "Nama pemilihan harus terdiri atas 3 sampai 80 karakter.",
    "stage": "Nama tahapan harus terdiri atas 3 sampai 160 karakter.",
    "start": "Pilih tanggal mulai.",
    "end": "Pilih tanggal selesai.",
    "end_before_start": "Tanggal selesai tidak boleh sebelum tanggal mulai.",
    "exists": "Tahapan dengan nama ini sudah ada untuk pemilihan tersebut.",
    "other": "Isian ini belum benar. Silakan periksa kembali.",
}


@dataclass(frozen=True)
class StageDraft:
    """The stage form as typed (dates as the date picker sends them, ``YYYY-MM-DD``)."""

    election: str = ""
    stage: str = ""
    start: str = ""
    end: str = ""
    description: str = ""
    legal_source: str = ""

    @classmethod
    def of(cls, stage: ElectionStage) -> StageDraft:
        """The form filled with a stored stage."""
        return cls(
            election=stage.election,
            stage=stage.stage,
            start=stage.starts_on.isoformat(),
            end=stage.ends_on.isoformat(),
            description=stage.description,
            legal_source=stage.legal_source or "",
        )


class StageInvalid(Exception):
    """The stage form cannot be saved; ``problems`` maps each field to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def _date(text: str, field: str, problems: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        problems[field] = PROBLEMS[field]
        return None


def stage_record(draft: StageDraft) -> StageRecord:
    """The checked record of ``draft``, or ``StageInvalid`` naming every problem."""
    problems: dict[str, str] = {}
    start, end = _date(draft.start, "start", problems), _date(draft.end, "end", problems)
    fields = {
        "election": draft.election,
        "stage": draft.stage,
        "start": start,
        "end": end,
        "description": draft.description,
        "legal_source": draft.legal_source.strip() or None,
    }
    try:
        record = StageRecord.model_validate(fields)
    except ValidationError as error:
        for detail in error.errors():
            if detail["loc"]:
                field = str(detail["loc"][0])
                problems.setdefault(field, PROBLEMS.get(field, PROBLEMS["other"]))
        # Pydantic checks the order of the dates only once every field is valid: check it here.
        if start and end and start > end:
            problems.setdefault("end", PROBLEMS["end_before_start"])
    else:
        return record
    raise StageInvalid(problems)


def _named(session: Session, record: StageRecord) -> ElectionStage | None:
    query = select(ElectionStage).where(
        ElectionStage.election == record.election, ElectionStage.stage == record.stage
    )
    return session.exec(query).first()


def add_stage(session: Session, record: StageRecord) -> ElectionStage:
    """Store a new stage; ``StageInvalid`` when the election already has one of that name.
    The caller commits."""
    if _named(session, record) is not None:
        raise StageInvalid({"stage": PROBLEMS["exists"]})
    stage = ElectionStage(
        election=record.election,
        stage=record.stage,
        starts_on=record.start,
        ends_on=record.end,
        description=record.description,
        legal_source=record.legal_source,
    )
    session.add(stage)
    session.flush()
    bump_knowledge_version(session)
    return stage


def update_stage(session: Session, stage_id: int, record: StageRecord) -> ElectionStage | None:
    """Replace stage ``stage_id`` with ``record`` (``None`` when there is no such stage);
    ``StageInvalid`` when another stage of the election has the new name. The caller commits."""
    stage = session.get(ElectionStage, stage_id)
    if stage is None:
        return None
    namesake = _named(session, record)
    if namesake is not None and namesake.id != stage.id:
        raise StageInvalid({"stage": PROBLEMS["exists"]})
    if stage_to_record(stage) == record:
        return stage
    stage.election, stage.stage = record.election, record.stage
    stage.starts_on, stage.ends_on = record.start, record.end
    stage.description, stage.legal_source = record.description, record.legal_source
    session.add(stage)
    bump_knowledge_version(session)
    return stage
