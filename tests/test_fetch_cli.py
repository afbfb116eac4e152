"""`sparbar fetch kolada|scb` and `sparbar import opensdg` end to end on an on-disk store, with the HTTP client
serving recorded answers (the network is never used)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from rdflib import URIRef
from recorded_api import RECORDED, RecordedApi, copy_store, file_answer, kolada_api, kolada_recorded_values
from typer.testing import CliRunner

from graph.oxigraph_store import OxigraphStore
from graph.settings import Settings
from loaders import fetch_cli
from loaders.cli import app

BASE = "https://w3id.org/sparbar/vastmanland/"
KOLADA = ["fetch", "kolada", "N00914", "--area", "19", "--area", "1980", "--area", "1983", "--years", "2022-2023"]
runner = CliRunner()


@pytest.fixture
def store(loaded_store: OxigraphStore, tmp_path: Path) -> Path:
    """An on-disk copy of the bundled data, as `sparbar init` leaves it."""
    path = tmp_path / "store"
    copy_store(loaded_store, path).close()
    return path


def run(store: Path, *args: str):
    return runner.invoke(app, list(args), env={"SPARBAR_STORE": str(store)})


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch):
    """Make the commands' HTTP client answer from `api`."""
    def use(api: RecordedApi) -> RecordedApi:
        monkeypatch.setattr(fetch_cli, "http_client", lambda settings: api.client())
        return api
    return use


def dump(store: Path) -> set[str]:
    s = OxigraphStore(store)
    try:
        return set(s.export("nq").decode().splitlines())
    finally:
        s.close()


def graph_names(store: Path) -> list[URIRef]:
    s = OxigraphStore(store)
    try:
        return s.graph_names()
    finally:
        s.close()


def test_fetch_kolada_writes_one_graph(store: Path, serve) -> None:
    serve(kolada_api())
    result = run(store, *KOLADA)
    assert result.exit_code == 0, result.output
    n = len(kolada_recorded_values())
    indicator = f"{BASE}indikator/exempel-forvarvsarbetande-20-64"  # the example indicator names N00914
    assert f"Inläst: <{BASE}graph/kolada-n00914> — {n} observationer av <{indicator}>\n" in result.output
    assert URIRef(BASE + "graph/kolada-n00914") in graph_names(store)
    english = run(store, *KOLADA, "--lang", "en")
    assert english.exit_code == 0 and f"Loaded: <{BASE}graph/kolada-n00914> — {n} observations" in english.output


def test_a_timeout_is_a_clear_error_and_the_store_is_unchanged(store: Path, serve) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)
    serve(kolada_api().route("/v3/kpi/N00914", timeout))
    before = dump(store)
    result = run(store, *KOLADA)
    assert result.exit_code == 2
    assert "https://api.kolada.se/v3/kpi/N00914: inget svar inom 5 sekunder" in result.output
    assert dump(store) == before
    english = run(store, *KOLADA, "--lang", "en")
    assert "https://api.kolada.se/v3/kpi/N00914: no answer within 5 seconds" in english.output


def test_bad_arguments_fail_before_any_request(store: Path, serve) -> None:
    api = serve(kolada_api())
    bad_id = run(store, "fetch", "kolada", "n914")
    assert bad_id.exit_code == 2 and "'n914' är inget Kolada-id" in bad_id.output
    bad_years = run(store, "fetch", "kolada", "N00914", "--years", "2024-2020")
    assert bad_years.exit_code == 2 and "--years '2024-2020'" in bad_years.output
    bad_area = run(store, "fetch", "kolada", "N00914", "--area", "0180")
    assert bad_area.exit_code == 2 and "--area 0180: okänd områdeskod" in bad_area.output
    bad_select = run(store, "fetch", "scb", "TAB638", "--select", "Region")
    assert bad_select.exit_code == 2 and "--select 'Region'" in bad_select.output
    assert api.requests == []


def test_fetch_scb_writes_one_graph(store: Path, serve) -> None:
    serve(RecordedApi().route("/api/v2/tables/TAB638/data", file_answer("scb/TAB638-data.json")))
    result = run(store, "fetch", "scb", "TAB638", "--select", "Region=19,1980", "--select", "Kon=1,2",
                 "--select", "ContentsCode=BE0101N1", "--select", "Tid=2022,2023")
    assert result.exit_code == 0, result.output
    assert f"Inläst: <{BASE}graph/scb-tab638> — 7 observationer av <{BASE}indikator/scb-tab638-be0101n1> (ny)" \
        in result.output


def test_import_opensdg_writes_one_graph(store: Path) -> None:
    result = run(store, "import", "opensdg", str(RECORDED / "opensdg" / "indicator_8-5-2.csv"),
                 "--source", "https://example.org/opensdg/data/indicator_8-5-2.csv")
    assert result.exit_code == 0, result.output
    assert f"Inläst: <{BASE}graph/opensdg-8-5-2> — 6 observationer" in result.output
    missing = run(store, "import", "opensdg", "finns-inte.csv")
    assert missing.exit_code == 2 and "finns-inte.csv: filen finns inte" in missing.output


def test_the_http_client_takes_its_timeout_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPARBAR_HTTP_TIMEOUT", "7.5")
    with fetch_cli.http_client(Settings()) as client:
        assert client.timeout.read == 7.5 and client.timeout.connect == 7.5


def test_help_everywhere() -> None:
    for args in (["fetch"], ["fetch", "kolada"], ["fetch", "scb"], ["import"], ["import", "opensdg"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, args
