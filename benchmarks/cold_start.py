"""Wall time of ``tanyapemilu ask`` on one question from a cold process.

Run: ``.venv/bin/python -m benchmarks.cold_start``. The baseline, measured in the same run, is a
bare interpreter that only imports rapidfuzz; the database is prepared (migrated and seeded)
once beforehand, as it is on an installed system.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import percentile, print_table

RUNS = 7
QUESTION = "gmn cara cek dpt online"


def _time(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="tp-cold-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANYAPEMILU_")}
    env["TANYAPEMILU_DATABASE_URL"] = f"sqlite:///{folder / 'cold.db'}"
    ask = [sys.executable, "-m", "tanyapemilu", "ask", "--json", QUESTION]
    first = _time(ask, env, folder)  # migrates and seeds the empty database
    rule = [_time(ask, env, folder) for _ in range(RUNS)]  # no model yet: the score rule
    train = [sys.executable, "-m", "tanyapemilu", "kb", "train"]
    training = _time(train, env, folder)
    ours = [_time(ask, env, folder) for _ in range(RUNS)]  # loads the trained model
    base = [_time([sys.executable, "-c", "import rapidfuzz"], env, folder) for _ in range(RUNS)]
    rows = [
        ["ask, first run (migrate + seed)", f"{first:.2f}", "-", "-"],
        ["kb train (once)", f"{training:.2f}", "-", "-"],
        [
            "ask, score rule only (no model file)",
            f"{percentile(rule, 0.5):.2f}",
            f"{max(rule):.2f}",
            f"{percentile(rule, 0.5) / percentile(base, 0.5):.1f}x",
        ],
        [
            "ask, database ready, with the model",
            f"{percentile(ours, 0.5):.2f}",
            f"{max(ours):.2f}",
            f"{percentile(ours, 0.5) / percentile(base, 0.5):.1f}x",
        ],
        [
            "baseline: python -c 'import rapidfuzz'",
            f"{percentile(base, 0.5):.2f}",
            f"{max(base):.2f}",
            "1.0x",
        ],
    ]
    print(f"Cold-start wall time over {RUNS} runs (seconds)")
    print_table(["command", "median", "max", "vs baseline"], rows)


if __name__ == "__main__":
    main()
