"""Numbered read-only copies of the store ("generations") for processes that read it beside the server.

An on-disk Oxigraph store may be opened read-write by one process only, and a read-only reader of a store that
is being written sees undefined state. So the process that owns the store hands other processes a snapshot:
`gen-1`, `gen-2`, … under one folder, each a checkpoint taken after a write. A generation is deleted once it is
neither the newest nor held by a reader.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol


class Snapshottable(Protocol):
    path: Path | None

    def snapshot(self, target: Path) -> None: ...


def snapshot_root(store: Snapshottable) -> Path:
    """`<store>.snapshots` beside an on-disk store (same file system: checkpoints are hard links), else a new
    temporary folder."""
    if store.path is None:
        return Path(tempfile.mkdtemp(prefix="sparbar-snapshots-"))
    return store.path.with_name(store.path.name + ".snapshots")


class Snapshots:
    def __init__(self, store: Snapshottable) -> None:
        self._store = store
        self._root: Path | None = None  # made on first use: most apps (and tests) never take a snapshot
        self._lock = threading.Lock()
        self._generation = 0
        self._current: Path | None = None

    @property
    def root(self) -> Path:
        if self._root is None:
            self._root = snapshot_root(self._store)
        return self._root

    def current(self) -> Path:
        with self._lock:
            if self._current is None:
                # leftovers of a server that stopped without cleaning up are never read again
                shutil.rmtree(self.root, ignore_errors=True)
                self._take()
            assert self._current is not None
            return self._current

    def refresh(self) -> Path:
        """A new generation after a write; readers move to it with their next query."""
        with self._lock:
            return self._take()

    def _take(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        self._generation += 1
        target = self.root / f"gen-{self._generation}"
        self._store.snapshot(target)
        self._current = target
        return target

    def prune(self, held: Iterable[str | Path]) -> None:
        """Delete every generation that is not the newest and not held by a reader."""
        keep = {Path(p) for p in held}
        with self._lock:
            if self._current is None or self._root is None or not self._root.is_dir():
                return
            for gen in self.root.glob("gen-*"):
                if gen != self._current and gen not in keep:
                    shutil.rmtree(gen, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            if self._root is not None:
                shutil.rmtree(self._root, ignore_errors=True)
            self._current = None
