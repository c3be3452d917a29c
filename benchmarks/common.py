"""Helpers shared by the benchmarks: synthetic knowledge bases, percentiles, tables."""

from __future__ import annotations

import random
from collections.abc import Sequence

from knowledge_base.answering.evaluation import load_eval_items
from knowledge_base.knowledge.content_files import DEFAULT_CONTENT_DIR, read_content
from knowledge_base.knowledge.records import EntryRecord


def curated_entries() -> list[EntryRecord]:
    """The knowledge base shipped with the product."""
    return read_content(DEFAULT_CONTENT_DIR).entries


def grow_entries(entries: Sequence[EntryRecord], size: int, seed: int = 7) -> list[EntryRecord]:
    """``size`` entries: the curated ones, then variants with shuffled and swapped words."""
    rng = random.Random(seed)
    vocabulary = sorted({w for e in entries for p in e.phrasings for w in p.split()})
    grown = list(entries[:size])
    while len(grown) < size:
        base = entries[len(grown) % len(entries)]
        number = len(grown)

        def vary(text: str) -> str:
            words = text.split()
            rng.shuffle(words)
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
            return " ".join([*words, rng.choice(vocabulary)])

        grown.append(
            base.model_copy(
                update={
                    "id": f"{base.id}-{number}",
                    "question": vary(base.question),
                    "phrasings": [vary(p) for p in base.phrasings],
                }
            )
        )
    return grown


def benchmark_questions(limit: int = 400) -> list[str]:
    """Citizen-style questions from the evaluation set (in-scope and out-of-domain)."""
    return [item.question for item in load_eval_items()][:limit]


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` fall (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def print_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a plain aligned table."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for number, row in enumerate(cells):
        print(
            "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if number == 0:
            print("  ".join("-" * w for w in widths))
