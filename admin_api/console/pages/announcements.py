"""Pengumuman: compose, approve, test, and follow delivery of announcements."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
