"""`sparbar template`: the empty workbook follows the mapping files, and its drop-down lists follow the store.

Expected lists are computed from the bundled Turtle files with rdflib, independently of the named queries the
template uses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, SKOS
from typer.testing import CliRunner

from graph.oxigraph_store import OxigraphStore
from graph.settings import Region
from loaders.cli import app
from loaders.workbook.importer import convert_workbook
from loaders.workbook.mapping import INSTRUCTIONS_SHEET, SheetMapping, load_mappings
from loaders.workbook.template import LISTS_SHEET, TemplateError, build_template, write_template

ROOT = Path(__file__).resolve().parent.parent
KOS = ROOT / "ontology" / "kos.ttl"
SB = Namespace("https://w3id.org/sparbar/def#")
SBK = "https://w3id.org/sparbar/kos/"


@pytest.fixture(scope="module")
def mappings() -> list[SheetMapping]:
    return load_mappings()


@pytest.fixture(scope="module")
def template(loaded_store: OxigraphStore, region: Region, mappings: list[SheetMapping],
             tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    """The template as written to disk and read back, as a steward's Excel would see it."""
    path = tmp_path_factory.mktemp("template") / "mall.xlsx"
    write_template(loaded_store, region, mappings, path)
    return load_workbook(path)


def validation_at(workbook: Workbook, sheet: str, header: str) -> DataValidation | None:
    ws = workbook[sheet]
    letter = next(c.column_letter for c in ws[1] if c.value == header)
    return next((dv for dv in ws.data_validations.dataValidation if f"{letter}2" in dv.sqref), None)


def list_values(workbook: Workbook, sheet: str, header: str) -> list[str]:
    """The values of the drop-down list of a column, followed from the validation to the Listor sheet."""
    dv = validation_at(workbook, sheet, header)
    assert dv is not None and dv.type == "list", f"{sheet}/{header} has no drop-down list"
    ref = workbook.defined_names[dv.formula1].attr_text
    sheet_name, cells = ref.rsplit("!", 1)
    assert sheet_name.strip("'") == LISTS_SHEET
    return [str(row[0].value) for row in workbook[LISTS_SHEET][cells.replace("$", "")]]


def offered(workbook: Workbook, sheet: str, header: str) -> set[str]:
    """The identifiers a reference list offers: each entry is "value – label", the loader reads the value."""
    return {v.split(" – ", 1)[0] for v in list_values(workbook, sheet, header)}


def scheme_labels(kos: Graph, scheme: URIRef) -> list[str]:
    """Swedish prefLabels of the scheme's concepts that are not deprecated."""
    out = []
    for concept in kos.subjects(SKOS.inScheme, scheme):
        if (concept, OWL.deprecated, Literal(True)) in kos:
            continue
        out += [str(label) for label in kos.objects(concept, SKOS.prefLabel) if label.language == "sv"]
    return out


# --- sheets and headers --------------------------------------------------------------------------------------
def test_instructions_first_then_every_mapped_sheet_with_its_headers_in_order(
        template: Workbook, mappings: list[SheetMapping]) -> None:
    visible = [ws.title for ws in template.worksheets if ws.sheet_state == "visible"]
    assert visible == [INSTRUCTIONS_SHEET] + [m.sheet for m in mappings]
    assert template.active.title == INSTRUCTIONS_SHEET
    for m in mappings:
        ws = template[m.sheet]
        assert [c.value for c in ws[1]] == [c.header for c in m.columns], m.sheet
        assert ws.max_row == 1, f"{m.sheet}: the template must hold no data rows"
        assert ws.freeze_panes == "A2"


def test_the_lists_sheet_is_hidden(template: Workbook) -> None:
    assert template[LISTS_SHEET].sheet_state == "hidden"


def test_every_header_explains_its_column(template: Workbook, mappings: list[SheetMapping]) -> None:
    for m in mappings:
        for cell, column in zip(template[m.sheet][1], m.columns, strict=True):
            assert cell.comment is not None, (m.sheet, column.header)
            text = cell.comment.text
            assert column.help in text
            required = column.required or column.header in m.id_columns
            assert ("Obligatorisk." in text) == required, (m.sheet, column.header)


def test_instructions_explain_sheets_columns_formats_and_loading(template: Workbook,
                                                                 mappings: list[SheetMapping]) -> None:
    text = "\n".join(str(v) for row in template[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for v in row if v)
    for phrase in ("sparbar load", "--dry-run", "--marked-copy", "Ändra aldrig ett Id", "ÅÅÅÅ-MM-DD",
                   "decimalkomma", "semikolon"):
        assert phrase in text, phrase
    for m in mappings:
        assert m.sheet in text and m.description in text
        for column in m.columns:
            assert column.header in text and column.help in text


# --- drop-down lists ---------------------------------------------------------------------------------------------
def test_every_controlled_column_lists_the_store_schemes_swedish_labels(template: Workbook,
                                                                      mappings: list[SheetMapping]) -> None:
    kos = Graph().parse(KOS)
    seen = 0
    for m in mappings:
        for column in m.columns:
            if column.scheme is None:
                continue
            expected = scheme_labels(kos, column.scheme)
            assert expected, column.scheme
            assert sorted(list_values(template, m.sheet, column.header)) == sorted(expected), (m.sheet, column.header)
            seen += 1
    # funding kind, horizon, inquiry area, perspective, PDCA phase, status (twice), actor kind, target group
    assert seen >= 9


def test_ordered_schemes_keep_their_order(template: Workbook) -> None:
    assert list_values(template, "Uppföljningar", "PDCA-fas") == ["Planera", "Göra", "Studera", "Agera"]
    assert list_values(template, "Resultat", "Tidshorisont") == ["Kort sikt", "Medellång sikt", "Lång sikt"]


def test_delmal_and_malomrade_lists_come_from_the_loaded_strategy(template: Workbook, region: Region) -> None:
    rus = Graph().parse(next(s.path for s in region.sources if s.graph == "rus"))
    prefix = region.base_iri + "rus/delmal/"
    delmal = {str(s)[len(prefix):] for s in rus.subjects(RDF.type, SB.SubGoal)}
    assert "7" in delmal
    for sheet in ("Insatser", "Aktiviteter", "Indikatorer", "Styrdokumentmål", "Agenda 2030-koppling"):
        assert offered(template, sheet, "Delmål") == delmal, sheet
    assert "7 – Öka kollektivtrafikens marknadsandel" in list_values(template, "Insatser", "Delmål")


def test_actor_and_area_lists_come_from_the_store(template: Workbook, region: Region) -> None:
    places = Graph().parse(next(s.path for s in region.sources if s.graph == "places"))
    example = Graph().parse(next(s.path for s in region.sources if s.graph == "example"))
    actors = {str(s)[len(region.base_iri):].split("/", 1)[1]
              for g in (places, example) for s in g.subjects(SB.actorKind, None)}
    assert {"region-vastmanland", "1980"} <= actors
    assert offered(template, "Insatser", "Ägare") == actors
    codes = {str(c) for c in places.objects(None, SB.municipalityCode)} | {
        str(c) for c in places.objects(None, SB.countyCode)}
    assert offered(template, "Insatser", "Område") == codes


def test_class_columns_and_yes_no_columns_have_lists(template: Workbook) -> None:
    assert list_values(template, "Resultat", "Typ") == ["Prestation", "Effekt"]
    assert list_values(template, "Uppföljningar", "Typ") == ["Uppföljning", "Utvärdering"]
    assert list_values(template, "Insatser", "Exempel") == ["ja", "nej"]


def test_several_values_in_one_cell_are_not_refused_by_excel(template: Workbook) -> None:
    multiple = validation_at(template, "Insatser", "Delmål")
    single = validation_at(template, "Insatser", "Status")
    assert multiple is not None and not multiple.showErrorMessage  # "7; 12" is valid
    assert single is not None and single.showErrorMessage and single.errorStyle == "warning"


def test_dates_years_and_percentages_are_checked_by_excel(template: Workbook) -> None:
    date = validation_at(template, "Insatser", "Startdatum")
    assert date is not None and date.type == "date"
    year = validation_at(template, "Finansiering", "År")
    assert year is not None and (year.type, year.formula1, year.formula2) == ("whole", "1900", "2100")
    percent = validation_at(template, "Uppföljningar", "Färdigställt (%)")
    assert percent is not None and (percent.type, percent.formula1, percent.formula2) == ("decimal", "0", "100")
    assert validation_at(template, "Insatser", "Titel") is None


def test_what_the_lists_offer_is_what_the_loader_reads(template: Workbook, loaded_store: OxigraphStore,
                                                      region: Region, mappings: list[SheetMapping],
                                                      tmp_path: Path) -> None:
    """A row filled in from the drop-down lists alone converts to the resources the lists stand for."""
    def pick(header: str, value: str) -> str:
        return next(v for v in list_values(template, "Insatser", header) if v.split(" – ", 1)[0] == value)

    row = {"Id": "RUV 2099/1", "Titel": "Från listorna", "Ägare": pick("Ägare", "region-vastmanland"),
           "Partner": pick("Partner", "1980"), "Status": pick("Status", "Pågående"), "Område": pick("Område", "19"),
           "Delmål": pick("Delmål", "7"), "Exempel": pick("Exempel", "ja")}
    assert row["Partner"] == "1980 – Västerås"
    ws = template["Insatser"]
    headers = [c.value for c in ws[1]]
    ws.append([row.get(str(h)) for h in headers])
    path = tmp_path / "ifylld.xlsx"
    template.save(path)
    ws.delete_rows(2)  # the module's template stays empty for the other tests
    _source, conversion = convert_workbook(path, loaded_store, region, mappings)
    assert conversion.problems == []
    insats = URIRef(region.base_iri + "insats/ruv-2099-1")
    base = region.base_iri
    expected = ((SB.owner, URIRef(base + "aktor/region-vastmanland")), (SB.partner, URIRef(base + "kommun/1980")),
                (SB.status, URIRef(SBK + "status/ongoing")), (SB.area, URIRef(base + "lan/19")),
                (SB.contributesTo, URIRef(base + "rus/delmal/7")), (SB.isExample, Literal(True)))
    for prop, obj in expected:
        assert (insats, prop, obj) in conversion.graph, prop


def test_lists_follow_the_store_they_are_built_from(region: Region, mappings: list[SheetMapping]) -> None:
    """Another store, another list: a new concept appears, a deprecated one does not."""
    kos = Graph().parse(KOS)
    status = URIRef(SBK + "status")
    paused, old = URIRef(SBK + "status/paused"), URIRef(SBK + "status/old")
    for concept, label in ((paused, "Vilande"), (old, "Gammal status")):
        kos.add((concept, RDF.type, SKOS.Concept))
        kos.add((concept, SKOS.inScheme, status))
        kos.add((concept, SKOS.prefLabel, Literal(label, lang="sv")))
    kos.add((old, OWL.deprecated, Literal(True)))
    store = OxigraphStore()
    store.replace_graphs({URIRef(region.graph_iri("kos")): kos}, URIRef(region.meta_graph_iri), Graph())
    workbook = build_template(store, region, mappings)
    values = list_values(workbook, "Insatser", "Status")
    assert "Vilande" in values and "Gammal status" not in values
    assert sorted(values) == sorted(scheme_labels(kos, status))
    # nothing in this store is a delmål or an actor: those columns get no list rather than an empty one
    assert validation_at(workbook, "Insatser", "Delmål") is None
    store.close()


def test_an_empty_store_is_refused(region: Region, mappings: list[SheetMapping], tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="sparbar init"):
        write_template(OxigraphStore(), region, mappings, tmp_path / "mall.xlsx")
    assert not (tmp_path / "mall.xlsx").exists()


# --- the command ---------------------------------------------------------------------------------------------
def test_command_writes_the_template_or_says_to_run_init(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    env = {"SPARBAR_STORE": str(tmp_path / "store")}
    result = runner.invoke(app, ["template"], env=env)
    assert result.exit_code == 2
    assert "sparbar init" in result.output
    assert not (tmp_path / "sparbar-mall.xlsx").exists()
    assert runner.invoke(app, ["load", str(KOS)], env=env).exit_code == 0  # the controlled lists are enough
    result = runner.invoke(app, ["template"], env=env)
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "sparbar-mall.xlsx").sheetnames[0] == INSTRUCTIONS_SHEET
    result = runner.invoke(app, ["template", "--output", str(tmp_path / "mall.csv")], env=env)
    assert result.exit_code == 2 and ".xlsx" in result.output
