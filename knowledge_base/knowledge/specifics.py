"""Warnings for an answer about to become general knowledge that names something specific: a
particular TPS, street, person or local area. A staff answer written for one citizen ("your TPS
is TPS 05 at Jl. Khatib Sulaiman, ask Pak Yusuf") would be wrong for everyone else."""

from __future__ import annotations

import re
from collections.abc import Iterable

_TPS = re.compile(r"\bTPS\s*(?:nomor|no\.?)?\s*\d+\b", re.IGNORECASE)
_STREET = re.compile(r"\b(?:Jl\.|Jln\.?|Jalan)\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*")
_PERSON = re.compile(
    r"\b(?:Pak|Bu|Bapak|Ibu|Sdr\.?|Saudara|Saudari|Uda|Uni|Mak)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*"
)
_PLACE = re.compile(r"\b(?:Kelurahan|Desa|Nagari|Jorong|RT|RW)\s+[\w./-]+", re.IGNORECASE)


def specific_mentions(text: str, areas: Iterable[str] = ()) -> list[str]:
    """One plain-Indonesian warning per kind of specific mention found in ``text``."""
    warnings = []
    checks = [
        (_TPS, "menyebut TPS tertentu"),
        (_STREET, "menyebut alamat jalan tertentu"),
        (_PERSON, "menyebut nama orang"),
        (_PLACE, "menyebut kelurahan, desa, nagari, RT atau RW tertentu"),
    ]
    for pattern, label in checks:
        found = sorted({m.group(0).strip() for m in pattern.finditer(text)})
        if found:
            warnings.append(f"Jawaban {label}: {', '.join(found)}.")
    named = [a for a in areas if re.search(rf"\b{re.escape(a)}\b", text, re.IGNORECASE)]
    if named:
        warnings.append(f"Jawaban menyebut kecamatan tertentu: {', '.join(named)}.")
    return warnings
