"""Articles parked on disk between the passes of a batch run, so that memory does not grow
with the corpus: an append-only file of lines read back by position."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

from kabar.model import Article, from_dict


class Spool:
    """An append-only file of text lines read back by position: articles parked on disk
    between the passes of a batch run, so memory does not grow with the corpus."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "a+b")  # noqa: SIM115 (closed by close/__exit__)
        self._size = 0
        self._unflushed = False

    def append(self, text: str) -> tuple[int, int]:
        """Write one line; its (offset, length) to read it back."""
        data = text.encode("utf-8")
        self._file.write(data)
        position = (self._size, len(data))
        self._size += len(data)
        self._unflushed = True
        return position

    def read(self, offset: int, length: int) -> str:
        if self._unflushed:
            self._file.flush()
            self._unflushed = False
        return os.pread(self._file.fileno(), length, offset).decode("utf-8")

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SpooledArticles(Mapping[str, Article]):
    """Articles read from a :class:`Spool` on demand, by id.

    slim: leave out the raw input text and the removed lines (empty), which story records
    never read: a chunk of stories then holds (and sends to workers) about half as much.
    """

    def __init__(
        self, spool: Spool, positions: dict[str, tuple[int, int]], slim: bool = False
    ) -> None:
        self.spool = spool
        self.positions = positions
        self.slim = slim

    def __getitem__(self, article_id: str) -> Article:
        data = json.loads(self.spool.read(*self.positions[article_id]))
        if self.slim:
            data["raw_text"], data["removed"] = "", []
        return from_dict(Article, data)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.positions

    def __iter__(self) -> Iterator[str]:
        return iter(self.positions)

    def __len__(self) -> int:
        return len(self.positions)


def remove_stale_spools(output: Path) -> None:
    """Remove the spool folders (``.spool-PID-*``) that runs killed before their end left in
    ``output``: a run removes its own when it ends, but a killed one cannot, and each holds
    about 10 KB per article. A folder whose process is still alive is kept."""
    for folder in output.glob(".spool-*"):
        pid = folder.name.split("-")[1]
        if not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
