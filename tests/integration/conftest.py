"""Shared fixtures of the integration tests: run the CLI as a person does, the module's rows as a CSV file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from autoservice_desk.cli import main

# Its asserts on the desks' exit codes should report like those written in the tests themselves.
pytest.register_assert_rewrite("desk_processes")


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `autoservice-desk ARGUMENTS…` in this process: (exit code, stdout, stderr)."""

    def run(*arguments: str) -> tuple[int, str, str]:
        code = main(list(arguments))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def csv_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The test module's ROWS as rows.csv in Windows-1251, the way Russian Excel saves a CSV file."""
    path = tmp_path / "rows.csv"
    path.write_text(request.module.ROWS, encoding="cp1251")
    return path
