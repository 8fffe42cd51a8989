"""Per-stage statistics of a run, kept in one place (as datatrove's ``stat_update``): each
stage counts what came in, what went out and what failed, and is timed, instead of each
report growing hand-written fields."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass


@dataclass
class StageStats:
    """What one stage did: records in, records out (articles; stories for the stories
    stage), failure records, and wall seconds."""

    inputs: int = 0
    outputs: int = 0
    failures: int = 0
    seconds: float = 0.0


class RunStats:
    """The :class:`StageStats` of every stage of a run, in the order the stages ran."""

    def __init__(self) -> None:
        self.stages: dict[str, StageStats] = {}

    def __getitem__(self, stage: str) -> StageStats:
        return self.stages.setdefault(stage, StageStats())

    def update(self, stage: str, inputs: int = 0, outputs: int = 0, failures: int = 0) -> None:
        """Add counts to a stage (``stat_update``)."""
        stats = self[stage]
        stats.inputs += inputs
        stats.outputs += outputs
        stats.failures += failures

    @contextmanager
    def timed(self, stage: str) -> Iterator[StageStats]:
        """Time the block into the stage's seconds."""
        stats = self[stage]
        started = time.perf_counter()
        try:
            yield stats
        finally:
            stats.seconds += time.perf_counter() - started

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {
            stage: {**asdict(stats), "seconds": round(stats.seconds, 3)}
            for stage, stats in self.stages.items()
        }
