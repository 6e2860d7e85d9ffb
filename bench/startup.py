"""Start-up time: the median seconds from `python -m autoservice_desk run` starting to its main window on screen.

    python bench/startup.py [-n RUNS] [--target SECONDS] [--db URL]

Each run starts the app in a fresh process (QT_QPA_PLATFORM=offscreen, AUTOSERVICE_BENCH_EXIT=1); the app
prints the seconds since the process began once the window has been shown and the event loop has run, then
quits. A warm-up run first compiles the bytecode and creates the database, so the timed runs measure a desk
being started in the morning, not the first install. Exit code 1 when the median misses the target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "startup_seconds="


def one_run(home: Path, db_url: str | None) -> tuple[float, float]:
    """(seconds to the shown window as the app measured it, seconds until the process had exited)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", AUTOSERVICE_HOME=str(home), AUTOSERVICE_BENCH_EXIT="1")
    env.pop("AUTOSERVICE_DB_URL", None)
    command = [sys.executable, "-m", "autoservice_desk", "run"]
    if db_url:
        command += ["--db", db_url]
    started = time.time()
    env["AUTOSERVICE_BENCH_T0"] = repr(started)
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    total = time.time() - started
    for line in result.stdout.splitlines():
        if line.startswith(MARKER):
            return float(line[len(MARKER):]), total
    raise SystemExit(f"the app did not report its start-up time (exit code {result.returncode}):\n{result.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=7, help="timed runs (default 7)")
    parser.add_argument("--target", type=float, default=1.0, help="the median must not exceed this (default 1.0 s)")
    parser.add_argument("--db", metavar="URL", help="database URL (default: a SQLite file in a temporary home)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asd-bench-") as folder:
        home = Path(folder)
        database = ["--db", options.db] if options.db else []
        upgrade = [sys.executable, "-m", "autoservice_desk", "db", "upgrade", *database]
        env = dict(os.environ, AUTOSERVICE_HOME=str(home))
        subprocess.run(upgrade, cwd=ROOT, env=env, capture_output=True, timeout=300, check=True)
        warm_up, _ = one_run(home, options.db)
        print(f"warm-up  {warm_up:.3f} s (not counted: compiles bytecode, creates the database)")
        shown: list[float] = []
        for number in range(1, options.runs + 1):
            seconds, total = one_run(home, options.db)
            shown.append(seconds)
            print(f"run {number:>2}   {seconds:.3f} s to the window   ({total:.3f} s until the process exited)")
    median = statistics.median(shown)
    verdict = "OK" if median <= options.target else "TOO SLOW"
    print(f"median   {median:.3f} s over {len(shown)} runs (target ≤ {options.target:.1f} s): {verdict}")
    return 0 if median <= options.target else 1


if __name__ == "__main__":
    sys.exit(main())
