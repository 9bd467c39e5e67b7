"""A job worker in a process of its own, for the tests that kill it: once a chunk is committed it says so and waits.

Usage: python -m tests.unit.transfer.doomed_worker DATABASE_URL CHUNK LEASE_SECONDS
"""

import sys
from datetime import timedelta

from customer_app.core import jobs
from customer_app.core.db import make_engine
from customer_app.transfer import import_jobs, imports


def main() -> None:
    url, chunk, lease = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    imports.CHUNK = imports.WRITE_ROWS = chunk

    def committed(topic: str) -> None:
        print(topic, flush=True)
        sys.stdin.readline()  # held here, lease still renewed by the heartbeat, until the test kills the process

    assert import_jobs.IMPORT
    jobs.work_once("doomed", engine=make_engine(url), lease=timedelta(seconds=lease), announce=committed)


if __name__ == "__main__":
    main()
