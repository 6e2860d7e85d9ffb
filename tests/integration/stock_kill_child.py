"""Post a stock document and stop half-way: signal the parent through a file, then wait to be killed.

Run by test_stock_kill.py: python stock_kill_child.py URL DOCUMENT_ID VERSION SIGNAL_FILE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory


def main(url: str, document_id: int, version: int, signal_file: Path) -> None:
    engine = create_database_engine(parse_database_url(url, Path("unused")))

    def progress(done: int, total: int) -> None:
        if done * 2 >= total:  # half of the moves are written inside the open transaction
            signal_file.write_text(f"{done}/{total}")
            time.sleep(600)  # the parent kills us here

    post_document(UnitOfWorkFactory(engine), document_id, version, progress=progress)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
