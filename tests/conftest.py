"""Shared fixtures: settings on a temporary store, and a store loaded with the bundled region data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.oxigraph_store import OxigraphStore
from graph.pipeline import apply, plan_region
from graph.settings import DEFAULT_REGION, Region, Settings, load_region
from graph.validation import Validator


@pytest.fixture(scope="session")
def validator() -> Validator:
    return Validator()


@pytest.fixture(scope="session")
def region() -> Region:
    return load_region(DEFAULT_REGION)


@pytest.fixture(scope="session")
def loaded_store(region: Region, validator: Validator) -> Iterator[OxigraphStore]:
    """An in-memory store with every bundled source loaded through the real pipeline. Read-only use!"""
    store = OxigraphStore()
    apply(store, plan_region(region), region, validator)
    yield store
    store.close()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def settings(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SPARBAR_STORE", str(store_path))
    return Settings()
