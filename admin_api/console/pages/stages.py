"""Tahapan: the election stages in office time (admins add and edit them)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
