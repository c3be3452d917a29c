"""Per-question latency and memory of the matcher at 100, 1,000 and 10,000 entries, and the
cost of the learned ranking model: training time, file size and latency of a full ``ask``.

Run: ``.venv/bin/python -m benchmarks.matcher``. The baseline is plain rapidfuzz
(``process.extractOne`` with ``WRatio`` on raw text over the same phrasings), measured in the
same run; the tables give our figures and the ratio to the baseline.
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
from knowledge_base.answering.domain_rules import load_domain_rules
from knowledge_base.answering.engine import Office, QuestionEngine
from knowledge_base.answering.lexicon import load_lexicon
from knowledge_base.answering.matcher import KnowledgeIndex
from knowledge_base.answering.normalise import Normaliser
from knowledge_base.answering.ranking.model import save_model
from knowledge_base.answering.ranking.training import train
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


def _model_row(
    entries: list[EntryRecord], lexicon, questions: Sequence[str], base_p99: float
) -> list[str]:
    """Train on ``entries``, then time full ``ask`` calls with and without the model."""
    import tempfile
    from pathlib import Path
    from zoneinfo import ZoneInfo

    rules = load_domain_rules()
    started = time.perf_counter()
    model = train(entries, Normaliser(lexicon), rules)
    seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.npz"
        save_model(model, path)
        kilobytes = path.stat().st_size / 1024
    office = Office("KPU", "Jl. Contoh", "0", "https://contoh")
    index = KnowledgeIndex(entries, Normaliser(lexicon))
    rule = QuestionEngine(index, rules, [], office=office, zone=ZoneInfo("Asia/Jakarta"))
    learned = rule.with_model(model)
    _latencies(rule.ask, questions)  # stems cached for both
    rule_t = _latencies(rule.ask, questions)
    learned_t = _latencies(learned.ask, questions)
    p99 = percentile(learned_t, 0.99)
    return [
        str(len(entries)),
        f"{seconds:.1f}",
        f"{kilobytes:,.0f}",
        f"{percentile(learned_t, 0.5):.2f}",
        f"{p99:.2f}",
        f"{percentile(rule_t, 0.99):.2f}",
        f"{p99 / percentile(rule_t, 0.99):.2f}x",
        f"{p99 / base_p99:.1f}x",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--skip-model", action="store_true", help="matcher table only")
    args = parser.parse_args()
    questions = benchmark_questions(args.questions)
    curated = curated_entries()
    lexicon = load_lexicon()
    rows = []
    model_rows = []
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
        if not args.skip_model:
            model_rows.append(_model_row(entries, lexicon, questions, b99))
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

    if model_rows:
        print("\nLearned ranking: training, model file, and a full ask (ms) with it and without")
        print_table(
            [
                "entries",
                "training s",
                "model KiB",
                "ask p50",
                "ask p99",
                "rule ask p99",
                "vs rule",
                "p99 vs baseline",
            ],
            model_rows,
        )


if __name__ == "__main__":
    main()
