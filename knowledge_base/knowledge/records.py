"""Validated shapes of curated content, shared by YAML files, the database and the API."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

MAX_ANSWER_CHARS = 700
MIN_PHRASINGS = 5
PLACEHOLDERS = frozenset({"office_name", "office_address", "office_phone", "office_website"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _not_a_number(value: object) -> object:
    # Pydantic would read 0 or 1.5 as a Unix timestamp; a curated date is written as a date.
    if isinstance(value, (int, float)):
        raise ValueError("use a date such as 2026-11-29")
    return value


CalendarDate = Annotated[date, BeforeValidator(_not_a_number)]


class EntryRecord(BaseModel):
    """One knowledge-base entry as curated in YAML."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)
    category: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)
    # Before the phrasings: how many a record needs depends on it.
    status: Literal["draft", "published"] = "published"
    question: str = Field(min_length=5, max_length=300)
    phrasings: list[Annotated[str, Field(min_length=1, max_length=300, pattern=r"\S")]] = Field(
        min_length=1,
        json_schema_extra={"uniqueItems": True},
        description=f"At least {MIN_PHRASINGS} for a published entry; a draft may have fewer",
    )
    answer: str = Field(min_length=10, max_length=MAX_ANSWER_CHARS)
    legal_source: str = Field(min_length=2)
    source_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    reviewed: CalendarDate
    dynamic: Literal["current_stage", "next_election"] | None = None

    @field_validator("phrasings")
    @classmethod
    def _distinct_non_empty(cls, phrasings: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("status", "published") == "published" and len(phrasings) < MIN_PHRASINGS:
            raise ValueError(
                f"a published entry needs at least {MIN_PHRASINGS} phrasings "
                f"(it has {len(phrasings)}); save it as a draft until it has them"
            )
        cleaned = [p.strip() for p in phrasings]
        if any(not p for p in cleaned):
            raise ValueError("phrasings must not be empty")
        if len({p.casefold() for p in cleaned}) != len(cleaned):
            raise ValueError("phrasings must be distinct")
        return cleaned

    @field_validator("answer")
    @classmethod
    def _known_placeholders(cls, answer: str) -> str:
        unknown = set(_PLACEHOLDER.findall(answer)) - PLACEHOLDERS
        if unknown or answer.count("{") != answer.count("}"):
            raise ValueError(
                f"unknown placeholder(s) {sorted(unknown)}; allowed: {sorted(PLACEHOLDERS)}"
            )
        return answer


class StageRecord(BaseModel):
    """One election stage as curated in YAML; dates are inclusive local calendar days."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    election: str = Field(min_length=3, max_length=80)
    stage: str = Field(min_length=3, max_length=160)
    start: CalendarDate
    end: CalendarDate
    description: str = ""
    legal_source: str | None = None

    @model_validator(mode="after")
    def _start_not_after_end(self) -> StageRecord:
        if self.start > self.end:
            raise ValueError("start must not be after end")
        return self
