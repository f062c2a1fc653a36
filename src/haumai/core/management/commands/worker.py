"""`haumai worker`: run background tasks and the scheduler tick until stopped."""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from haumai.core import scheduler

logger = logging.getLogger("haumai.worker")


class Command(BaseCommand):
    help = "Run background tasks (django-tasks database backend) and the scheduler tick."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds to sleep when idle")
        parser.add_argument("--once", action="store_true", help="run one pass of tasks and tick, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        logger.info("worker %s started", worker_id)
        while running:
            close_old_connections()
            counts = scheduler.tick(batch_size=settings.HAUMAI_SCHEDULER_BATCH)
            Worker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
            if options["once"]:
                self.stdout.write(f"tick: {counts}")
                return
            if not any(counts.values()):
                time.sleep(options["interval"])
        logger.info("worker %s stopped", worker_id)
