"""`autoservice-desk jobs run-once` and `jobs run`: the scheduler without a window."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path


def test_run_once_reports_what_it_did(run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    code, out, err = run_cli("jobs", "run-once", "--db", str(tmp_path / "shop.sqlite3"))
    assert code == 0, err
    assert "Sent: 0, failed: 0" in out


def test_run_stops_on_sigterm(tmp_path: Path) -> None:
    env = dict(os.environ, AUTOSERVICE_HOME=str(tmp_path / "home"))
    process = subprocess.Popen(
        [sys.executable, "-m", "autoservice_desk", "jobs", "run", "--db", str(tmp_path / "shop.sqlite3")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert process.stdout is not None
    assert b"scheduler runs" in process.stdout.readline()
    process.send_signal(signal.SIGTERM)
    _out, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors.decode()
    assert b"stopped" in errors
