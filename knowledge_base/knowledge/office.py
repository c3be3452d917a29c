"""The installing office's own data (areas, category labels, local days off), read from a
content file."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from knowledge_base.core.settings import Settings
from knowledge_base.core.yaml_io import load_yaml_file

DEFAULT_OFFICE_FILE = Path(__file__).resolve().parent.parent / "content" / "office.yaml"
# A subscription button carries an area index; three digits keep callback data short.
MAX_AREAS = 200


class OfficeContent(BaseModel):
    """Areas citizens subscribe to and labels of the knowledge-base categories."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    areas: tuple[str, ...] = Field(min_length=1, max_length=MAX_AREAS)
    category_labels: dict[str, str] = Field(default_factory=dict)
    # Local days off on top of national holidays and collective leave (working-day deadlines).
    days_off: tuple[date, ...] = ()

    def category_label(self, category: str) -> str:
        """The label of ``category``, or its id when the office gave none."""
        return self.category_labels.get(category, category)

    def canonical_area(self, name: str) -> str | None:
        """The configured spelling of ``name`` (case and spaces ignored), else ``None``."""
        wanted = " ".join(name.split()).casefold()
        return next((area for area in self.areas if area.casefold() == wanted), None)


@cache
def load_office_content(path: Path = DEFAULT_OFFICE_FILE) -> OfficeContent:
    """The office content in ``path`` (validated; read once per path)."""
    return OfficeContent.model_validate(load_yaml_file(path))


def office_content(settings: Settings) -> OfficeContent:
    """The office content the settings point at (the packaged file by default)."""
    return load_office_content(settings.office_content_file or DEFAULT_OFFICE_FILE)
