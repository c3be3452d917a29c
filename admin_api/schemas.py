"""What goes in and what comes out of the staff API (tables never leak, e.g. password hashes)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

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


class QuestionList(BaseModel):
    items: list[QuestionPublic]
    total: int
    limit: int
    offset: int


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
