"""Masking of personal data (NIK, phone numbers, e-mail) before anything is stored or logged.

Detection runs on an NFKC view of the text, so fullwidth digits and punctuation are caught;
only the matched spans are replaced, the rest of the text stays as the citizen typed it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

NIK_MASK = "[NIK]"
PHONE_MASK = "[NOMOR TELEPON]"
NUMBER_MASK = "[NOMOR]"
EMAIL_MASK = "[EMAIL]"

_PHONE_PREFIXES = ("08", "628", "+628")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Between digit groups people type runs of spaces, dots, dashes, slashes, underscores, colons
# or brackets; a comma only glued ("1371,0212"), since ", " separates items of a list.
_SEPARATOR = r"(?:[\s.\-\u2010-\u2015\u2212/\\_:()\[\]]|,(?!\s))"
# One identifier: digit groups joined by separator runs, letters may touch it ("NIK1371...").
_DIGIT_CHAIN = re.compile(rf"(?:[(\[]\s*)?(?P<plus>\+\s*)?\d+(?:{_SEPARATOR}+\d+)*")

_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_MONTH = r"(?:1[0-2]|0?[1-9])"
_YEAR = r"(?:19|20)\d\d"
_DATE = rf"{_DAY}(?P<s1>[/.\-]){_MONTH}(?P=s1){_YEAR}|{_YEAR}(?P<s2>[/.\-]){_MONTH}(?P=s2){_DAY}"
_TIME = r"(?:2[0-4]|[01]?\d)[.:][0-5]\d"
_HAS_DATE = re.compile(_DATE)
# Dates and clock times joined by dashes or spaces ("14/02/2024-15/02/2024 07.00-13.00") are
# no identifier, however many digits they add up to; every other grouping is.
_DATES_AND_TIMES = re.compile(
    rf"(?:(?:{_DATE}|{_TIME})(?:\s*[-\u2010-\u2015]\s*(?=\d)|\s+(?=\d)|\Z))+"
)


_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# An IPv4 address (with an optional port) is no personal number; logs are full of them.
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}(?::\d{{1,5}})?")


def _is_dates_and_times(chain: str) -> bool:
    # Kept only with at least one full date (four-digit year): a grouping of a NIK or phone
    # number into clock-time pairs alone ("13.02-05.12-...") must still be masked.
    return bool(_DATES_AND_TIMES.fullmatch(chain)) and _HAS_DATE.search(chain) is not None


def _mask_chain(match: re.Match[str]) -> str | None:
    chain = match.group(0)
    digits = "".join(str(int(ch)) for ch in chain if ch.isdecimal())
    if len(digits) < 9 or _is_dates_and_times(chain) or _IPV4.fullmatch(chain):
        return None
    international = match.group("plus") is not None
    if len(digits) == 16 and not international and not digits.startswith("0"):
        return NIK_MASK  # no phone number has 16 digits, so "628..." here is a NIK (province 62)
    phone = (("+" if international else "") + digits).startswith(_PHONE_PREFIXES)
    if phone and 9 <= len(digits) <= 15:
        return PHONE_MASK
    if len(digits) >= 10:
        return NUMBER_MASK  # KK numbers, bank accounts and other identifiers
    return None


def _folded(text: str) -> tuple[str, list[int] | None]:
    """``text`` NFKC-folded character by character, and where each folded character came from."""
    if text.isascii():
        return text, None
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


def _replace(
    text: str, pattern: re.Pattern[str], mask: Callable[[re.Match[str]], str | None]
) -> str:
    """``text`` with each match of ``pattern`` in its folded view replaced by ``mask(match)``."""
    view, origin = _folded(text)
    pieces: list[str] = []
    done = 0
    for match in pattern.finditer(view):
        placeholder = mask(match)
        if placeholder is None:
            continue
        start, end = match.start(), match.end()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        pieces += [text[done : max(start, done)], placeholder]
        done = max(end, done)
    return "".join(pieces) + text[done:]


def mask_personal_data(text: str) -> str:
    """Replace NIKs, phone numbers, long identifiers and e-mail addresses with placeholders.

    A chain of digit groups (any grouping, any separator run, letters glued on) is one number:
    16 digits is a NIK (unless typed with 0 or + first), 9–15 digits after 08/628/+628 a phone
    number, 10 or more digits another identifier. Shorter numbers are kept, and so are chains
    made only of dates and clock times.
    """
    text = _replace(text, _EMAIL, lambda _match: EMAIL_MASK)
    return _replace(text, _DIGIT_CHAIN, _mask_chain)


def contains_personal_data(text: str) -> bool:
    """Whether ``text`` still holds something ``mask_personal_data`` would hide."""
    return mask_personal_data(text) != text
