"""Desks as separate processes: start several worker scripts against one database at once, collect their reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def run_desks(script: Path, desk_arguments: Iterable[Sequence[str]], *, timeout: float) -> list[dict[str, Any]]:
    """Run *script* once per argument list, all at the same time; the JSON each desk printed last, in order.

    Every desk is started before any is waited for, so they really do work at once; a desk that fails fails the
    test with its stderr.
    """
    desks = [
        subprocess.Popen(
            [sys.executable, str(script), *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
        )
        for arguments in desk_arguments
    ]
    results = []
    for desk in desks:
        out, err = desk.communicate(timeout=timeout)
        assert desk.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results
