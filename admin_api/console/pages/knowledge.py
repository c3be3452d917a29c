"""Basis pengetahuan: entries, their editing, history, publishing, and the question tester."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
