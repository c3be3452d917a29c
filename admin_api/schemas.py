"""What goes in and what comes out of the staff API (tables never leak, e.g. password hashes)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from knowledge_base.announcements.telegram_html import html_problems
from knowledge_base.staff.models import StaffRole


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class StaffCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "username": "ppid1",
                    "password": "kata-sandi-kuat-123",
                    "role": "staff",
                    "full_name": "Petugas PPID",
                }
            ]
        }
    )

    username: str = Field(min_length=3, max_length=80, pattern=r"^[a-zA-Z0-9_.-]+$")
    password: str = Field(min_length=10, max_length=200)
    role: StaffRole = StaffRole.STAFF
    full_name: str = Field(default="", max_length=160)


class StaffPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    full_name: str
    role: str
    is_active: bool
    created_at: datetime


class StaffList(BaseModel):
    items: list[StaffPublic]
    total: int
    limit: int
    offset: int


class AskerPublic(BaseModel):
    masked_text: str
    asked_at: datetime
    reply_status: str = Field(
        description="Delivery of the answer or dismissal notice: pending, sending, sent, "
        "failed or blocked (pending while the question is open)"
    )
    reply_error: str | None
    reply_purpose: str | None = Field(default=None, description="answer or dismissal")
    replied_at: datetime | None = None


class QuestionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    masked_text: str
    ask_count: int
    first_asked_at: datetime
    last_asked_at: datetime
    due_at: datetime | None
    overdue: bool = False
    staff_answer: str | None
    answered_at: datetime | None
    dismiss_reason: str | None
    promoted_entry_id: int | None
    assigned_to_id: int | None = None


class QuestionDetail(QuestionPublic):
    askers: list[AskerPublic] = []
    delivery: dict[str, int] = Field(
        default_factory=dict, description="Messages to the askers per delivery status"
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="After a promotion: what in the answer looks specific to one citizen",
    )


class QuestionList(BaseModel):
    items: list[QuestionPublic]
    total: int
    limit: int
    offset: int
    counts: dict[str, int] = Field(
        default_factory=dict, description="Questions per status, and how many open are overdue"
    )


class AnswerIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"answer": "Logistik sisa disimpan di gudang KPU dan dimusnahkan sesuai ketentuan."}
            ]
        }
    )

    answer: str = Field(min_length=5, max_length=3000)


class DismissIn(BaseModel):
    reason: str = Field(min_length=3, max_length=500)


class PromoteIn(BaseModel):
    """Either ``entry_id`` (add phrasings to that entry) or the fields of a new entry."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "logistik-setelah-pemilu",
                    "category": "tahapan",
                    "question": "Bagaimana nasib logistik pemilu setelah pemungutan suara?",
                    "legal_source": "PKPU 14/2023",
                }
            ]
        }
    )

    entry_id: str | None = Field(default=None, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)
    category: str | None = Field(default=None, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    question: str | None = Field(default=None, min_length=5, max_length=300)
    legal_source: str | None = Field(default=None, min_length=2)
    source_url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class MergeIn(BaseModel):
    source_id: int = Field(description="The record folded into this one", ge=1, le=2**31 - 1)


class AssignIn(BaseModel):
    staff_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="null to unassign")


MAX_OFFSET_MINUTES = 366 * 24 * 60


class AnnouncementIn(BaseModel):
    """Either ``send_at`` or a stage with an offset (e.g. -2880 = two days before)."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "title": "Masa tenang dimulai",
                    "body": "Mulai <b>besok</b> tidak boleh ada kampanye.",
                    "audience_areas": [],
                    "stage_id": 1,
                    "stage_anchor": "start",
                    "stage_offset_minutes": -2880,
                }
            ]
        }
    }

    title: str = Field(min_length=3, max_length=200)
    body: str = Field(min_length=1, max_length=4000, description="Telegram HTML")
    audience_areas: list[Annotated[str, Field(min_length=2, max_length=80)]] = Field(
        default_factory=list, max_length=20, description="Empty: every subscriber"
    )
    send_at: AwareDatetime | None = None
    stage_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    stage_anchor: Literal["start", "end"] = "start"
    stage_offset_minutes: int = Field(default=0, ge=-MAX_OFFSET_MINUTES, le=MAX_OFFSET_MINUTES)
    recurrence: Literal["daily"] | None = None
    recurrence_until: AwareDatetime | None = None

    @field_validator("body")
    @classmethod
    def _telegram_html(cls, body: str) -> str:
        problems = html_problems(body)
        if problems:
            raise ValueError("; ".join(problems))
        return body

    @model_validator(mode="after")
    def _one_time_rule(self) -> AnnouncementIn:
        if (self.send_at is None) == (self.stage_id is None):
            raise ValueError("isi salah satu: send_at atau stage_id")
        return self


class TestCopyIn(BaseModel):
    chat_id: int = Field(description="Telegram chat id", ge=-(2**62), le=2**62, strict=True)

    @field_validator("chat_id")
    @classmethod
    def _a_real_chat(cls, chat_id: int) -> int:
        if chat_id == 0:
            raise ValueError("chat_id 0 bukan percakapan Telegram")
        return chat_id
