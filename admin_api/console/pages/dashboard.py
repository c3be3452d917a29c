"""Dasbor: how the service performs, as charts and downloadable tables."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
