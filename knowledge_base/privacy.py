"""Masking of personal data (NIK, phone numbers, e-mail) before anything is stored or logged."""

from __future__ import annotations

import re

NIK_MASK = "[NIK]"
PHONE_MASK = "[NOMOR TELEPON]"
NUMBER_MASK = "[NOMOR]"
EMAIL_MASK = "[EMAIL]"

_SEPARATOR = r"[\s.\-]?"
# A run of digits that may be split by single spaces, dots or dashes ("1371 0212 3456 0001").
_DIGIT_RUN = re.compile(rf"(?<![\d\w])\+?\d(?:{_SEPARATOR}\d)+(?![\d\w])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_PREFIXES = ("08", "628", "+628")


def _mask_digits(match: re.Match[str]) -> str:
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    compact = ("+" if raw.startswith("+") else "") + digits
    if len(digits) == 16 and not compact.startswith(_PHONE_PREFIXES):
        return NIK_MASK
    if compact.startswith(_PHONE_PREFIXES) and 9 <= len(digits) <= 15:
        return PHONE_MASK
    if len(digits) >= 10:
        return NUMBER_MASK  # KK numbers, bank accounts and other identifiers
    return raw


def mask_personal_data(text: str) -> str:
    """Replace NIKs, phone numbers, long identifiers and e-mail addresses with placeholders."""
    text = _EMAIL.sub(EMAIL_MASK, text)
    return _DIGIT_RUN.sub(_mask_digits, text)


def contains_personal_data(text: str) -> bool:
    """Whether ``text`` still holds something ``mask_personal_data`` would hide."""
    return mask_personal_data(text) != text
