"""The workbook through the shared load pipeline and the CLI: SHACL findings traced back to cells, all or
nothing, re-import replacing the workbook's graph, --dry-run, exit codes and --lang en."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from recorded_api import copy_store
from typer.testing import CliRunner
from workbook_builder import BASE, MAPPINGS, write_csv_folder, write_xlsx

from graph.oxigraph_store import OxigraphStore
from graph.settings import Region
from graph.store import Store
from graph.validation import Validator
from loaders.cli import app
from loaders.workbook.importer import WorkbookOutcome, load_workbook

SB = "https://w3id.org/sparbar/def#"
GRAPH = URIRef(BASE + "graph/arbetsbok")
runner = CliRunner()


@pytest.fixture
def store(loaded_store: OxigraphStore) -> Iterator[OxigraphStore]:
    s = copy_store(loaded_store)
    yield s
    s.close()


def load(store: Store, region: Region, validator: Validator, path: Path, dry_run: bool = False) -> WorkbookOutcome:
    return load_workbook(path, store, region, validator, MAPPINGS, dry_run=dry_run)


def insatser(n: int, start: int = 1) -> list[dict[str, object]]:
    return [{"Id": f"RUV 2030/{i:04d}", "Titel": f"Insats {i}", "Ägare": "Region Västmanland", "Status": "Planerad",
             "Startdatum": "2030-01-01", "Slutdatum": "2031-12-31", "Delmål": "7"} for i in range(start, start + n)]


def snapshot(store: Store) -> set[str]:
    return set(store.export("nq").decode().splitlines())


def violations(outcome: WorkbookOutcome) -> list[tuple[str, int | None, str | None, str | None, str]]:
    return [(p.sheet, p.row, p.column, p.code, p.message_sv) for p in outcome.problems if p.severity == "Violation"]


# --- SHACL findings, traced back ---------------------------------------------------------------------------------
def test_a_shacl_violation_is_traced_to_its_sheet_row_and_column(store: OxigraphStore, region: Region,
                                                                 validator: Validator, tmp_path: Path) -> None:
    backwards = {**insatser(1, start=9)[0], "Startdatum": "2031-01-01", "Slutdatum": "2030-01-01"}
    path = write_xlsx(tmp_path / "arbetsbok.xlsx", {
        "Insatser": [*insatser(2), backwards],
        "Aktörer": [{"Id": "ny-forening", "Namn": "Ny förening", "Organisationsnummer": "12345"}],
    })
    before = snapshot(store)
    outcome = load(store, region, validator, path)
    assert violations(outcome) == [  # in sheet, row, column order, like the conversion's own problems
        ("Insatser", 4, "Startdatum", "shacl", "Insatsens startdatum (sb:startDate) ligger efter dess slutdatum "
                                               "(sb:endDate)."),
        ("Aktörer", 2, "Organisationsnummer", "shacl", "Organisationsnumret (sb:organisationNumber) ska skrivas som "
                                                       "sex siffror, bindestreck, fyra siffror (t.ex. 232100-0172), "
                                                       "högst ett per aktör."),
    ]
    traced = [p for p in outcome.problems if p.code == "shacl" and p.severity == "Violation"]
    assert [(p.column_letter, p.value) for p in traced] == [("H", "2031-01-01"), ("E", "12345")]
    assert not outcome.written and outcome.exit_code == 1
    assert snapshot(store) == before


@pytest.mark.parametrize("bad", ["type", "shacl"])
def test_one_bad_row_among_many_writes_nothing(bad: str, store: OxigraphStore, region: Region, validator: Validator,
                                               tmp_path: Path) -> None:
    rows = insatser(60)
    rows[41] = {**rows[41], "Startdatum": "2030-02-30"} if bad == "type" else {**rows[41], "Slutdatum": "2029-01-01"}
    path = write_xlsx(tmp_path / "arbetsbok.xlsx", {"Insatser": rows})
    before = snapshot(store)
    outcome = load(store, region, validator, path)
    assert [(p.row, p.column) for p in outcome.problems if p.severity == "Violation"] == [(43, "Startdatum")]
    assert not outcome.written
    assert snapshot(store) == before
    assert GRAPH not in store.graph_names()


def test_a_valid_workbook_is_written_as_its_own_graph_with_source_metadata(store: OxigraphStore, region: Region,
                                                                          validator: Validator,
                                                                          tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "arbetsbok.xlsx", {"Insatser": insatser(3)})
    outcome = load(store, region, validator, path)
    assert outcome.written and outcome.exit_code == 0 and outcome.rows == 3
    graph = store.graph(GRAPH)
    assert len(graph) == outcome.triples
    assert set(graph.subjects(URIRef(SB + "owner"), None)) == {
        URIRef(BASE + f"insats/ruv-2030-000{i}") for i in (1, 2, 3)}
    meta = store.graph(URIRef(region.meta_graph_iri))
    assert meta.value(GRAPH, URIRef(SB + "sourcePath")) == Literal(path.resolve().as_posix())
    assert str(meta.value(GRAPH, URIRef(SB + "checksum"))).startswith("sha256:")


def test_warnings_land_and_are_reported_at_their_row(store: OxigraphStore, region: Region, validator: Validator,
                                                     tmp_path: Path) -> None:
    old = {"Id": "RUV 2019/0001", "Titel": "Gammal insats", "Ägare": "Region Västmanland", "Status": "Avslutad",
           "Startdatum": "2019-01-01", "Slutdatum": "2019-12-31", "Delmål": "7"}
    path = write_xlsx(tmp_path / "arbetsbok.xlsx", {"Insatser": [*insatser(1), old]})
    outcome = load(store, region, validator, path)
    assert outcome.written
    warnings = [(p.sheet, p.row, p.column, p.message_sv) for p in outcome.problems if p.severity == "Warning"]
    assert ("Insatser", 3, "Id", "Insatsen avslutades för mer än sex månader sedan, men ingen uppföljning "
                                 "(sb:FollowUp med sb:followsUp) finns för den.") in warnings
    assert all(row == 3 for _s, row, _c, _m in warnings)
    assert (URIRef(BASE + "insats/ruv-2019-0001"), None, None) in store.graph(GRAPH)


def test_reimport_updates_the_same_iris_and_a_deleted_row_disappears(store: OxigraphStore, region: Region,
                                                                     validator: Validator, tmp_path: Path) -> None:
    path = tmp_path / "arbetsbok.xlsx"
    first = insatser(3)
    write_xlsx(path, {"Insatser": first, "Finansiering": [
        {"Id": "RUV 2030/0002-1", "Insats": "RUV 2030/0002", "Belopp": "100 000", "År": 2030, "Valuta": "SEK",
         "Finansieringsslag": "1:1-medel", "Finansiär": "Region Västmanland"}]})
    assert load(store, region, validator, path).written
    edited = [{**first[0], "Titel": "Ny titel"}, first[2]]  # row 2 (RUV 2030/0002) deleted, and its funding
    write_xlsx(path, {"Insatser": edited})
    outcome = load(store, region, validator, path)
    assert outcome.written, outcome.problems
    graph = store.graph(GRAPH)
    title = URIRef("http://purl.org/dc/terms/title")
    assert set(graph.objects(URIRef(BASE + "insats/ruv-2030-0001"), title)) == {Literal("Ny titel", lang="sv")}
    assert (URIRef(BASE + "insats/ruv-2030-0002"), None, None) not in graph
    assert (URIRef(BASE + "finansiering/ruv-2030-0002-1"), None, None) not in graph
    assert (URIRef(BASE + "insats/ruv-2030-0003"), None, None) in graph
    assert not store.ask("ASK { <https://w3id.org/sparbar/vastmanland/insats/ruv-2030-0002> ?p ?o }")


def test_reimport_does_not_count_its_own_old_rows_as_existing(store: OxigraphStore, region: Region,
                                                              validator: Validator, tmp_path: Path) -> None:
    path = tmp_path / "arbetsbok.xlsx"
    write_xlsx(path, {"Insatser": insatser(2)})
    assert load(store, region, validator, path).written
    # the funding refers to an insats that the new version of the workbook no longer has
    write_xlsx(path, {"Insatser": insatser(1), "Finansiering": [
        {"Id": "f-1", "Insats": "RUV 2030/0002", "Belopp": "5", "År": 2030, "Valuta": "SEK",
         "Finansieringsslag": "1:1-medel", "Finansiär": "Region Västmanland"}]})
    outcome = load(store, region, validator, path)
    assert violations(outcome) == [("Finansiering", 2, "Insats", "ref.unknown",
                                    "Okänd hänvisning: ”RUV 2030/0002” finns inte som insats i arbetsboken eller i "
                                    "lagret.")]
    assert not [p for p in outcome.problems if p.code == "duplicate.elsewhere"]


def test_dry_run_validates_without_writing(store: OxigraphStore, region: Region, validator: Validator,
                                           tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "arbetsbok.xlsx", {"Insatser": insatser(2)})
    before = snapshot(store)
    outcome = load(store, region, validator, path, dry_run=True)
    assert outcome.exit_code == 0 and not outcome.written and outcome.triples > 0
    assert snapshot(store) == before


def test_a_csv_folder_loads_like_the_workbook(store: OxigraphStore, loaded_store: OxigraphStore, region: Region,
                                              validator: Validator, tmp_path: Path) -> None:
    rows = insatser(3)
    folder = write_csv_folder(tmp_path / "arbetsbok", {"Insatser": rows})
    assert load(store, region, validator, folder).written
    other = copy_store(loaded_store)
    try:
        assert load(other, region, validator, write_xlsx(tmp_path / "arbetsbok.xlsx", {"Insatser": rows})).written
        assert store.graph(GRAPH) == other.graph(GRAPH) or set(store.graph(GRAPH)) == set(other.graph(GRAPH))
    finally:
        other.close()


# --- the CLI -----------------------------------------------------------------------------------------------------
@pytest.fixture
def store_path(loaded_store: OxigraphStore, tmp_path: Path) -> Path:
    path = tmp_path / "store"
    copy_store(loaded_store, path).close()
    return path


def cli(store_path: Path, *args: str):
    return runner.invoke(app, list(args), env={"SPARBAR_STORE": str(store_path)})


def test_cli_loads_a_workbook(store_path: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "arbetsbok.xlsx", {"Insatser": insatser(2)})
    result = cli(store_path, "load", str(path))
    assert result.exit_code == 0, result.output
    assert f"Inläst: <{GRAPH}> (2 rader, " in result.output
    s = OxigraphStore(store_path)
    try:
        assert GRAPH in s.graph_names()
    finally:
        s.close()


def test_cli_reports_in_swedish_and_exits_1_writing_nothing(store_path: Path, tmp_path: Path) -> None:
    rows = insatser(2)
    rows[1]["Startdatum"] = "1 mars"
    path = write_xlsx(tmp_path / "arbetsbok.xlsx", {"Insatser": rows})
    result = cli(store_path, "load", str(path))
    assert result.exit_code == 1
    assert ("[Fel] Insatser, rad 3, kolumn Startdatum (H) — värde: ”1 mars”\n"
            "    Inte ett datum: skriv ÅÅÅÅ-MM-DD (t.ex. 2024-03-01) eller använd en datumcell.") in result.output
    assert "Inget skrevs till lagret" in result.output
    english = cli(store_path, "load", str(path), "--lang", "en")
    assert english.exit_code == 1
    assert ("[Error] Insatser, row 3, column Startdatum (H) — value: “1 mars”\n"
            "    Not a date: write YYYY-MM-DD (e.g. 2024-03-01) or use a date cell.") in english.output
    s = OxigraphStore(store_path)
    try:
        assert GRAPH not in s.graph_names()
    finally:
        s.close()


def test_cli_dry_run(store_path: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "arbetsbok.xlsx", {"Insatser": insatser(1)})
    result = cli(store_path, "load", "--dry-run", str(path))
    assert result.exit_code == 0, result.output
    assert "Torrkörning (--dry-run): arbetsboken kan läsas in (1 rader" in result.output
    s = OxigraphStore(store_path)
    try:
        assert GRAPH not in s.graph_names()
    finally:
        s.close()


def test_cli_unusable_input_exits_2(store_path: Path, tmp_path: Path) -> None:
    missing = cli(store_path, "load", str(tmp_path / "finns-inte.xlsx"))
    assert missing.exit_code == 2
    assert "finns-inte.xlsx: filen finns inte" in missing.output
    broken = tmp_path / "trasig.xlsx"
    broken.write_text("inte en arbetsbok", encoding="utf-8")
    result = cli(store_path, "load", str(broken))
    assert result.exit_code == 2
    assert "trasig.xlsx: kan inte läsas som en Excel-arbetsbok" in result.output
    wrong = write_xlsx(tmp_path / "fel.xlsx", {"Blad1": [{"a": 1}]}, headers={"Blad1": ["a"]})
    result = cli(store_path, "load", str(wrong))
    assert result.exit_code == 2
    assert "Arbetsboken har inget av de kända bladen" in result.output
    mixed = cli(store_path, "load", str(wrong), str(Path(__file__).parent / "data" / "insats-ok.ttl"))
    assert mixed.exit_code == 2


def test_cli_csv_folder_with_bom_and_semicolons(store_path: Path, tmp_path: Path) -> None:
    rows = [{**r, "Startdatum": datetime(2030, 1, 1).date().isoformat()} for r in insatser(2)]
    folder = write_csv_folder(tmp_path / "arbetsbok", {"Insatser": rows}, delimiter=";", bom=True)
    result = cli(store_path, "load", str(folder))
    assert result.exit_code == 0, result.output
    assert f"Inläst: <{GRAPH}> (2 rader, " in result.output


def test_cli_rdf_files_still_load_and_dry_run(store_path: Path) -> None:
    ttl = Path(__file__).parent / "data" / "insats-ok.ttl"
    result = cli(store_path, "load", "--dry-run", str(ttl))
    assert result.exit_code == 0, result.output
    s = OxigraphStore(store_path)
    try:
        assert URIRef(BASE + "graph/insats-ok") not in s.graph_names()
    finally:
        s.close()
    assert cli(store_path, "load", str(ttl)).exit_code == 0



def test_cli_writes_a_marked_copy_that_loads_again_once_fixed(store_path: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook as open_xlsx

    rows = insatser(2)
    rows[1]["Startdatum"] = "1 mars"
    path = write_xlsx(tmp_path / "arbetsbok.xlsx", {"Insatser": rows})
    copy = tmp_path / "arbetsbok-markerad.xlsx"
    result = cli(store_path, "load", str(path), "--marked-copy", str(copy))
    assert result.exit_code == 1
    assert f"Markerad kopia med problemen: {copy}" in result.output
    marked = open_xlsx(copy)
    cell = marked["Insatser"]["H3"]
    assert cell.comment is not None and "Inte ett datum" in cell.comment.text
    marked["Insatser"]["H3"] = "2030-03-01"  # the steward fixes the marked cell and loads the copy
    marked.save(copy)
    fixed = cli(store_path, "load", str(copy))
    assert fixed.exit_code == 0, fixed.output
    assert "0 fel, 0 varningar" in fixed.output  # its problem sheet is not data
    assert cli(store_path, "load", str(path), str(copy), "--marked-copy", str(tmp_path / "x.xlsx")).exit_code == 2


def test_a_workbook_named_like_a_bundled_source_is_refused(store_path: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "rus.xlsx", {"Insatser": insatser(1)})
    result = cli(store_path, "load", str(path))
    assert result.exit_code == 2
    assert f"arbetsboken skulle ersätta den medföljande grafen <{BASE}graph/rus>; byt namn på filen" in result.output


def test_shacl_violations_on_many_sheets_each_land_on_their_cell(store: OxigraphStore, region: Region,
                                                                 validator: Validator, tmp_path: Path) -> None:
    """One load, one SHACL Violation per sheet kind: on a stated value, on a value that is missing (the column
    that would hold it), and on an inverse path (the effect indicator that must not have a target value)."""
    funding = {"Id": "f-1", "Insats": "RUV 2030/0001", "Belopp": "5", "År": 2030, "Valuta": "kronor",
               "Finansieringsslag": "1:1-medel", "Finansiär": "Region Västmanland"}
    path = write_xlsx(tmp_path / "arbetsbok.xlsx", {
        "Insatser": insatser(1),
        "Aktiviteter": [{"Id": "a-1", "Titel": "A", "Insats": "RUV 2030/0001", "Ägare": "Sala",
                         "Startdatum": "2030-05-01", "Slutdatum": "2030-04-01", "Status": "Planerad"}],
        "Finansiering": [funding],
        "Aktörer": [{"Id": "ny-forening", "Namn": "Ny förening", "Organisationsnummer": "12345"}],
        "Styrdokumentmål": [{"Styrdokument": "exempel-handlingsplan-kollektivtrafik", "Nummer": 0, "Namn": "Noll",
                             "Delmål": "7"}],
        "Målvärden": [{"Id": "m-1", "Styrdokumentmål": "exempel-handlingsplan-kollektivtrafik/mal/1",
                       "Indikator": "exempel-kollektivtrafikens-marknadsandel", "Målvärde": "60"}],
        "Indikatorer": [{"Id": "i-1", "Typ": "Styrdokumentindikator", "Namn": "I",
                         "Styrdokumentmål": "exempel-handlingsplan-kollektivtrafik/mal/1", "Kolada-id": "914"}],
        "Observationer": [{"Id": "o-1", "Indikator": "i-1", "År": 2030, "Område": "Sala", "Värde": "1"}],
    })
    outcome = load(store, region, validator, path)
    assert [(p.sheet, p.row, p.column, p.code, p.message_sv) for p in outcome.problems
            if p.severity == "Violation"] == [
        ("Aktiviteter", 2, "Startdatum", "shacl",
         "Aktivitetens startdatum (sb:startDate) ligger efter dess slutdatum (sb:endDate)."),
        ("Finansiering", 2, "Valuta", "shacl", "Finansieringen måste ha exakt en valuta (sb:currency) som valutakod "
                                               "med tre stora bokstäver, t.ex. \"SEK\"."),
        ("Aktörer", 2, "Organisationsnummer", "shacl", "Organisationsnumret (sb:organisationNumber) ska skrivas som "
                                                       "sex siffror, bindestreck, fyra siffror (t.ex. 232100-0172), "
                                                       "högst ett per aktör."),
        ("Styrdokumentmål", 2, "Nummer", "shacl", "Målets nummer (sb:number) ska vara ett heltal från 1 och uppåt, "
                                                  "högst ett nummer per mål."),
        ("Målvärden", 2, "Indikator", "shacl", "En effektindikator i RUS följs över tid och får inget målvärde, men "
                                               f"målvärdet {BASE}malvarde/m-1 gäller denna indikator "
                                               "(sb:targetIndicator)."),
        ("Indikatorer", 2, "Kolada-id", "shacl", "Kolada-id (sb:koladaId) ska vara en stor bokstav följd av fem "
                                                 "siffror, t.ex. N00914, högst ett per indikator."),
        ("Observationer", 2, "Dataset", "shacl",
         "Observationen måste höra till exakt ett indikatordataset (qb:dataSet)."),
    ]
    assert not outcome.written
