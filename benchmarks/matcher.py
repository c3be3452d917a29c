"""Per-question latency and memory of the matcher at 100, 1,000 and 10,000 entries.

Run: ``.venv/bin/python -m benchmarks.matcher``. The baseline is plain rapidfuzz
(``process.extractOne`` with ``WRatio`` on raw text over the same phrasings), measured in the
same run; the table gives our figures and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz, process, utils

from benchmarks.common import (
    benchmark_questions,
    curated_entries,
    grow_entries,
    percentile,
    print_table,
)
from knowledge_base.answering.lexicon import load_lexicon
from knowledge_base.answering.matcher import KnowledgeIndex
from knowledge_base.answering.normalise import Normaliser
from knowledge_base.knowledge.records import EntryRecord

SIZES = (100, 1_000, 10_000)


def _latencies(run: Callable[[str], object], questions: Sequence[str]) -> list[float]:
    for question in questions[:20]:  # warm caches as a running bot would have them
        run(question)
    timings = []
    for question in questions:
        start = time.perf_counter()
        run(question)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _traced_build(build: Callable[[], object]) -> tuple[object, float]:
    tracemalloc.start()
    built = build()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return built, peak / 1024 / 1024


def _ours(entries: list[EntryRecord], lexicon) -> tuple[Callable[[str], object], float]:
    def build() -> KnowledgeIndex:
        return KnowledgeIndex(entries, Normaliser(lexicon))

    index, megabytes = _traced_build(build)
    return (lambda q: index.rank(index.normaliser.normalise(q))), megabytes


def _baseline(entries: list[EntryRecord]) -> tuple[Callable[[str], object], float]:
    def build() -> list[str]:
        return [utils.default_process(t) for e in entries for t in (e.question, *e.phrasings)]

    choices, megabytes = _traced_build(build)
    return (
        lambda q: process.extractOne(
            q, choices, scorer=fuzz.WRatio, processor=utils.default_process
        )
    ), megabytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=300)
    args = parser.parse_args()
    questions = benchmark_questions(args.questions)
    curated = curated_entries()
    lexicon = load_lexicon()
    rows = []
    for size in SIZES:
        entries = grow_entries(curated, size)
        ours, our_mb = _ours(entries, lexicon)
        base, base_mb = _baseline(entries)
        our_t = _latencies(ours, questions)  # words seen for the first time: stemmed now
        warm_t = _latencies(ours, questions)  # the same questions again: stems cached
        base_t = _latencies(base, questions)
        p50, p99 = percentile(our_t, 0.5), percentile(our_t, 0.99)
        b50, b99 = percentile(base_t, 0.5), percentile(base_t, 0.99)
        rows.append(
            [
                size,
                f"{p50:.2f}",
                f"{p99:.2f}",
                f"{percentile(warm_t, 0.99):.2f}",
                f"{b50:.2f}",
                f"{b99:.2f}",
                f"{p99 / b99:.1f}x",
                f"{our_mb:.1f}",
                f"{base_mb:.1f}",
            ]
        )
    print(f"Matcher latency per question ({len(questions)} questions, ms) and build memory (MiB)")
    print_table(
        [
            "entries",
            "p50",
            "p99",
            "p99 warm",
            "baseline p50",
            "baseline p99",
            "p99 vs baseline",
            "index MiB",
            "baseline MiB",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
