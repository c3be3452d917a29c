"""A file of Sastrawi stems kept between runs, so a cold start skips re-stemming the content."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)


def load_stems(path: Path) -> dict[str, str]:
    """Stems saved earlier, or an empty table when the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning("ignoring unreadable stem cache %s: %s", path, exc)
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def save_stems(path: Path, stems: dict[str, str]) -> None:
    """Write the table atomically (a crash never leaves half a file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(stems, ensure_ascii=False, sort_keys=True), "utf-8")
        temporary.replace(path)
    except OSError as exc:
        logger.warning("could not save stem cache %s: %s", path, exc)
