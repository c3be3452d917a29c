"""Read and write curated content as YAML, reporting every bad record with file and line."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge_base.core.yaml_io import SafeLoader, load_yaml_text
from knowledge_base.knowledge.records import EntryRecord, StageRecord

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
STAGES_FILENAME = "stages.yaml"
ENTRIES_DIRNAME = "entries"

RecordT = TypeVar("RecordT", bound=BaseModel)


@dataclass(frozen=True)
class ContentProblem:
    """One reason a record was rejected."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ContentBundle:
    """Everything read from a set of files, with any problems found."""

    entries: list[EntryRecord] = field(default_factory=list)
    stages: list[StageRecord] = field(default_factory=list)
    problems: list[ContentProblem] = field(default_factory=list)


class ContentError(Exception):
    """Content failed validation; nothing was imported."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _line_of(node: yaml.Node, key: str | None = None) -> int:
    if key is not None and isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            if key_node.value == key:
                return key_node.start_mark.line + 1
    return node.start_mark.line + 1


def _parse_items(
    path: Path, record_type: type[RecordT], text: str | None = None
) -> tuple[list[tuple[RecordT, int]], list[ContentProblem]]:
    """Records in ``text`` (default: the file's content); ``path`` names them in problems."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeError) as exc:
            return [], [ContentProblem(path, 1, f"cannot read the file as UTF-8 text: {exc}")]
    root: yaml.Node | None = None
    try:
        root = yaml.compose(text, Loader=SafeLoader)
        data = load_yaml_text(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [], [ContentProblem(path, line, f"invalid YAML: {exc}")]
    except (ValueError, OverflowError):
        # PyYAML lets a value's own conversion error through unmarked (Python's limit on
        # integer digits, a date such as 2024-13-45): find and name each such value.
        problems = _unreadable_values(path, root)
        return [], problems or [ContentProblem(path, 1, "invalid YAML: unreadable value")]
    if data is None:
        return [], []
    if not isinstance(data, list) or not isinstance(root, yaml.SequenceNode):
        return [], [ContentProblem(path, 1, "the file must be a YAML list of records")]
    parsed: list[tuple[RecordT, int]] = []
    problems: list[ContentProblem] = []
    for item, node in zip(data, root.value, strict=True):
        try:
            parsed.append((record_type.model_validate(item), _line_of(node)))
        except ValidationError as exc:
            problems.extend(_validation_problems(path, node, item, exc))
    return parsed, problems


def _validation_problems(
    path: Path, node: yaml.Node, item: Any, error: ValidationError
) -> list[ContentProblem]:
    label = f"record {item.get('id')!r}: " if isinstance(item, dict) and item.get("id") else ""
    problems = []
    for detail in error.errors():
        location = [str(part) for part in detail["loc"]]
        key = location[0] if location else None
        where = ".".join(location) or "record"
        message = f"{label}{where}: {detail['msg']}"
        problems.append(ContentProblem(path, _line_of(node, key), message))
    return problems


def _unreadable_values(path: Path, root: yaml.Node | None) -> list[ContentProblem]:
    """A problem for every scalar PyYAML parses but cannot turn into a value, naming its
    record and field."""
    constructor = yaml.SafeLoader("")
    records = root.value if isinstance(root, yaml.SequenceNode) else [root] if root else []
    problems = []
    for record in records:
        label = _record_label(record)
        for where, node in _scalars(record, ""):
            try:
                constructor.construct_object(node, deep=True)
            except (ValueError, OverflowError) as exc:
                message = f"{label}{where or 'record'}: {_unreadable_reason(node, exc)}"
                problems.append(ContentProblem(path, node.start_mark.line + 1, message))
    return problems


def _record_label(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "id" and value.tag == "tag:yaml.org,2002:str":
                return f"record {value.value[:80]!r}: "
    return ""


def _scalars(node: yaml.Node, where: str) -> Iterator[tuple[str, yaml.ScalarNode]]:
    """Every scalar under ``node`` (mapping keys included) with its dotted location."""
    if isinstance(node, yaml.ScalarNode):
        yield where, node
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _scalars(item, f"{where}.{index}".lstrip("."))
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{where}.{key.value}".lstrip(".") if isinstance(key, yaml.ScalarNode) else where
            yield from _scalars(key, name)
            yield from _scalars(value, name)


def _unreadable_reason(node: yaml.ScalarNode, error: Exception) -> str:
    if node.tag == "tag:yaml.org,2002:int":
        digits = sum(char.isalnum() for char in node.value)
        return f"number too long ({digits} digits; at most {sys.get_int_max_str_digits()})"
    return f"unreadable value {node.value[:40]!r} ({error})"


def content_files(target: Path) -> tuple[list[Path], list[Path]]:
    """Entry files and stage files in ``target``: one file, a content folder, or a flat folder.

    A content folder holds ``entries/*.yaml`` and ``stages.yaml`` (like ``export`` writes);
    in a flat folder every ``*.yaml`` except ``stages.yaml`` holds entries.
    """
    if target.is_file():
        return ([], [target]) if target.name == STAGES_FILENAME else ([target], [])
    entries_dir = target / ENTRIES_DIRNAME
    source = entries_dir if entries_dir.is_dir() else target
    entry_files = sorted(p for p in source.glob("*.yaml") if p.name != STAGES_FILENAME)
    stages = target / STAGES_FILENAME
    return entry_files, [stages] if stages.is_file() else []


def read_content(target: Path) -> ContentBundle:
    """Read and validate every record under ``target``; problems are collected, not raised."""
    if not target.exists():
        return ContentBundle(problems=[ContentProblem(target, 0, "no such file or folder")])
    bundle = ContentBundle()
    entry_files, stage_files = content_files(target)
    seen_ids: dict[str, tuple[Path, int]] = {}
    for path in entry_files:
        _add_entries(bundle, path, _parse_items(path, EntryRecord), seen_ids)
    for path in stage_files:
        stages, problems = _parse_items(path, StageRecord)
        bundle.problems.extend(problems)
        bundle.stages.extend(record for record, _line in stages)
    return bundle


def read_entries_text(text: str, source: Path) -> ContentBundle:
    """Validate entries given as YAML text (an upload), with the same rules as files."""
    bundle = ContentBundle()
    _add_entries(bundle, source, _parse_items(source, EntryRecord, text), {})
    return bundle


def _add_entries(
    bundle: ContentBundle,
    path: Path,
    parsed: tuple[list[tuple[EntryRecord, int]], list[ContentProblem]],
    seen_ids: dict[str, tuple[Path, int]],
) -> None:
    records, problems = parsed
    bundle.problems.extend(problems)
    for record, line in records:
        if record.id in seen_ids:
            first_path, first_line = seen_ids[record.id]
            message = f"duplicate id {record.id!r} (first at {first_path}:{first_line})"
            bundle.problems.append(ContentProblem(path, line, message))
            continue
        seen_ids[record.id] = (path, line)
        bundle.entries.append(record)


class _BlockStyleDumper(yaml.SafeDumper):
    """Writes multi-line strings as ``|-`` blocks so answers stay readable."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockStyleDumper.add_representer(str, _represent_str)


def dump_records(records: Iterable[BaseModel]) -> str:
    """YAML text for ``records`` in the curated file format."""
    data = [record.model_dump(mode="json", exclude_defaults=False) for record in records]
    return yaml.dump(data, Dumper=_BlockStyleDumper, allow_unicode=True, sort_keys=False, width=100)


def write_content(target: Path, entries: list[EntryRecord], stages: list[StageRecord]) -> None:
    """Write entries (one file per category) and stages under the folder ``target``."""
    entries_dir = target / ENTRIES_DIRNAME
    entries_dir.mkdir(parents=True, exist_ok=True)
    by_category: dict[str, list[EntryRecord]] = {}
    for entry in entries:
        by_category.setdefault(entry.category, []).append(entry)
    for category, records in sorted(by_category.items()):
        (entries_dir / f"{category}.yaml").write_text(dump_records(records), encoding="utf-8")
    if stages:
        (target / STAGES_FILENAME).write_text(dump_records(stages), encoding="utf-8")
