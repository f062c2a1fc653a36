"""Chunks of database rows, generated in this process or by a pool of forked worker processes.

Workers only run BlockGenerator.block (pure Python, no database); this process assembles the
blocks in order (ids, codes, events), so the result is the same for any number of workers. At most
`3 x workers` blocks are in flight, so memory stays flat whatever the population.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterator
from multiprocessing.pool import AsyncResult, Pool
from types import TracebackType

from haumai.demo.assembly import CustomerGenerator, merge
from haumai.demo.generator import BLOCK, Block, BlockGenerator
from haumai.demo.writer import Rows

# Set in the parent just before forking; the workers inherit it (nothing is pickled but block numbers).
_worker_blocks: BlockGenerator | None = None
PARALLEL_FROM = 20_000  # customers; below this, starting processes costs more than it saves


def _make_block(index: int) -> Block:
    if _worker_blocks is None:  # pragma: no cover - only reachable if a worker was not forked
        raise RuntimeError("worker has no block generator")
    return _worker_blocks.block(index)


def default_workers(customers: int) -> int:
    """Worker processes for a population: none for small runs, else up to 4 (one per CPU)."""
    if customers < PARALLEL_FROM or not can_fork():
        return 0
    return max(0, min(4, os.cpu_count() or 1))


def can_fork() -> bool:
    """Forking a Django process is safe on Linux (the workers never touch the database)."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


class ChunkSource:
    """Iterates over chunks of rows (one per `plan.chunk_size` customers), in order."""

    def __init__(self, generator: CustomerGenerator, workers: int) -> None:
        global _worker_blocks
        self.generator = generator
        self.workers = workers if workers > 1 and can_fork() else 0
        self.pool: Pool | None = None
        if self.workers:
            _worker_blocks = generator.blocks
            # Fork before any thread starts (the writer thread), so children inherit no held locks.
            self.pool = multiprocessing.get_context("fork").Pool(self.workers)

    def __enter__(self) -> ChunkSource:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        global _worker_blocks
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
        _worker_blocks = None

    def __iter__(self) -> Iterator[Rows]:
        plan = self.generator.plan
        if self.pool is None:
            for first in range(0, plan.customers, plan.chunk_size):
                yield self.generator.chunk(first, min(plan.chunk_size, plan.customers - first))
            return
        blocks_per_chunk = plan.chunk_size // BLOCK
        total = self.generator.blocks.blocks
        window = 3 * self.workers
        pending: deque[AsyncResult[Block]] = deque()
        submitted = 0
        rows: Rows = {}
        for index in range(total):
            while submitted < total and len(pending) < window:
                pending.append(self.pool.apply_async(_make_block, (submitted,)))
                submitted += 1
            block = pending.popleft().get()
            merge(rows, self.generator.assembler.assemble(block))
            if (index + 1) % blocks_per_chunk == 0 or index + 1 == total:
                yield rows
                rows = {}
