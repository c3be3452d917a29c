"""Election stages with their dates, the source of "which stage is it now" answers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class ElectionStage(SQLModel, table=True):
    """One stage of one election, with inclusive start and end dates (local calendar)."""

    __tablename__ = "election_stage"
    __table_args__ = (UniqueConstraint("election", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    election: str = Field(sa_type=String(80), index=True)
    stage: str = Field(sa_type=String(160))
    starts_on: date = Field(index=True)
    ends_on: date
    description: str = Field(default="", sa_type=Text)
    legal_source: str | None = Field(default=None, sa_type=Text)
