"""APScheduler's job table, declared here so that Alembic (not APScheduler) creates it."""

from __future__ import annotations

from sqlalchemy import Column, Float, LargeBinary, Table, Unicode
from sqlmodel import SQLModel

# Same columns as apscheduler.jobstores.sqlalchemy.SQLAlchemyJobStore (3.x) creates.
apscheduler_jobs = Table(
    "apscheduler_jobs",
    SQLModel.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
