"""The mapping files: every class and property of the example data has a sheet and a column, and a mistake in
a region's own mapping file is reported with the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graph.settings import REPO_ROOT
from loaders.workbook.mapping import (
    DEFAULT_MAPPINGS,
    INSTRUCTIONS_SHEET,
    MappingError,
    load_mapping,
    load_mappings,
    mappings_folder,
)

EXAMPLE = REPO_ROOT / "data" / "example" / "vastmanland-example.ttl"


def test_the_default_mappings_load_in_order_with_distinct_sheets() -> None:
    mappings = load_mappings(DEFAULT_MAPPINGS)
    assert [m.sheet for m in mappings][:3] == ["Insatser", "Aktiviteter", "Finansiering"]
    assert len({m.sheet for m in mappings}) == len(mappings) == len(list(DEFAULT_MAPPINGS.glob("*.toml")))
    assert INSTRUCTIONS_SHEET not in {m.sheet for m in mappings}
    for m in mappings:
        assert m.description and m.description_en, m.sheet
        for c in m.columns:
            assert c.help and c.help_en, (m.sheet, c.header)


def test_every_class_and_property_of_the_example_data_has_a_sheet_and_a_column() -> None:
    """The example workbook is the example TTL written as rows: each resource's set of types must be what some
    sheet mints, and each of its properties a column of that sheet (or an inverse column pointing at it)."""
    example = Graph().parse(EXAMPLE)
    mappings = load_mappings(DEFAULT_MAPPINGS)
    minted: dict[frozenset[URIRef], list] = {}
    for m in mappings:
        for classes in ([m.classes] if m.classes else list(m.class_values.values())):
            minted.setdefault(frozenset(classes), []).append(m)
    describing = [m for m in mappings if m.subject is not None]
    inverse = {c.predicate for m in mappings for c in m.columns if c.inverse}
    missing = set()
    for subject in set(example.subjects()):
        types = frozenset(URIRef(t) for t in example.objects(subject, RDF.type))
        sheets = minted.get(types, []) if types else describing
        assert sheets, f"no sheet mints {sorted(types)} ({subject})"
        for predicate in set(example.predicates(subject)) - {RDF.type}:
            forward = any(predicate in {c.predicate for c in s.columns if not c.inverse} | {p for p, _v in s.fixed}
                          for s in sheets)
            if not forward and predicate not in inverse:
                missing.add((tuple(sorted(types)), predicate))
    assert not missing


@pytest.mark.parametrize(("text", "message"), [
    ('sheet = "X"\niri = "x/{Id}"\nclass = "sb:Intervention"\n[[column]]\nheader = "Id"\nlnag = "sv"\n',
     "kolumnen 'Id': okänd nyckel 'lnag'"),
    ('sheet = "X"\niri = "x/{Id}"\nclass = "ex:Thing"\n[[column]]\nheader = "Id"\n',
     "class: 'ex:Thing' är inget prefixat namn med ett känt prefix"),
    ('sheet = "X"\niri = "x/{Nr}"\nclass = "sb:Intervention"\n[[column]]\nheader = "Id"\n',
     "'iri' använder kolumnen '{Nr}', som bladet inte har"),
    ('sheet = "X"\niri = "x/1"\nclass = "sb:Intervention"\n[[column]]\nheader = "Id"\n',
     "'iri' = 'x/1' använder ingen kolumn: IRI:er görs av en identifierande kolumn, aldrig av radnummer"),
    ('sheet = "X"\nclass = "sb:Intervention"\n[[column]]\nheader = "Id"\n',
     "ange antingen 'iri' (en mall för radens IRI) eller 'subject' (en referenskolumn)"),
    ('sheet = "X"\niri = "x/{Id}"\nclass = "sb:Intervention"\n[[column]]\nheader = "Id"\n'
     '[[column]]\nheader = "A"\nproperty = "sb:amount"\ndatatype = "xsd:money"\n',
     "kolumnen 'A': okänd datatype 'xsd:money'"),
    ('sheet = "X"\niri = "x/{Id}"\nclass = "sb:Intervention"\n[[column]]\nheader = "Id"\n[[column]]\nheader = "id "\n',
     "kolumnen 'id ' finns två gånger"),
    ('sheet = "X"\niri = "x/{Id}"\nclass = "sb:Intervention"\n[[column]]\nheader = "Id"\n'
     '[[column]]\nheader = "P"\nproperty = "sb:percentComplete"\npercent = true\n',
     "kolumnen 'P': 'percent' kräver datatype = \"xsd:decimal\""),
    ('sheet = "X"\niri = "x/{Id}"\nclass = "sb:Intervention"\n[[column]]\nheader = "Id"\n'
     '[[column]]\nheader = "D"\nproperty = "sb:contributesTo"\nref = "rus/delmal"\n',
     "kolumnen 'D': 'ref' = 'rus/delmal' ska ha exakt en platshållare {} eller {+}"),
    ('sheet = "X"\niri = "x/{Id}"\n[[column]]\nheader = "Id"\n',
     "ange antingen 'class' eller 'class_column' med [class_values]"),
    ('sheet = "X"\niri = "x/{Id}"\nclass = "sb:Intervention"\n', "bladet behöver minst en [[column]]"),
    ('sheet = "X"\niri = "x/{Id}"\nclass = "sb:Intervention"\n[[column]]\nheader = "Id"\nrequired = "ja"\n',
     "kolumnen 'Id': 'required' ska vara true eller false"),
    ('sheet = "X"\niri = "x/{Id}\n', "inte giltig TOML"),
    ('sheet = "X"\niri = "x y/{Id}"\nclass = "sb:Intervention"\n[[column]]\nheader = "Id"\n',
     "'iri' = 'x y/{Id}' ger ingen giltig IRI"),
    ('sheet = "X"\niri = "x/{Id}"\nclass = "sb:Intervention"\n[[column]]\nheader = "Id"\n'
     '[[column]]\nheader = "D"\nproperty = "sb:contributesTo"\nref = "rus/\\"{}"\n',
     "kolumnen 'D': 'ref' = 'rus/\"{}' ger ingen giltig IRI"),
    ('sheet = "X"\niri = "x/{Id}"\nclass = "<https://example.org/a b>"\n[[column]]\nheader = "Id"\n',
     "class: '<https://example.org/a b>' är ingen giltig IRI"),
])
def test_a_mistake_in_a_mapping_file_names_the_file_and_the_key(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as e:
        load_mapping(path)
    assert str(e.value).startswith(f"{path}: ")
    assert message in str(e.value)


def test_two_files_for_one_sheet_are_refused(tmp_path: Path) -> None:
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text('sheet = "Insatser"\niri = "x/{Id}"\nclass = "sb:Intervention"\n'
                                     '[[column]]\nheader = "Id"\n', encoding="utf-8")
    with pytest.raises(MappingError, match=r"bladet 'Insatser' beskrivs också i a\.toml"):
        load_mappings(tmp_path)


def test_a_region_may_point_to_its_own_mapping_folder(tmp_path: Path) -> None:
    region = tmp_path / "region.toml"
    region.write_text('name = "R"\nworkbook_mappings = "mappningar"\n', encoding="utf-8")
    assert mappings_folder(region) == (tmp_path / "mappningar").resolve()
    region.write_text('name = "R"\n', encoding="utf-8")
    assert mappings_folder(region) == DEFAULT_MAPPINGS


def test_the_user_guide_names_every_sheet_and_column() -> None:
    guide = (REPO_ROOT / "docs" / "workbook.md").read_text(encoding="utf-8")
    for m in load_mappings(DEFAULT_MAPPINGS):
        section = guide.split(f"**{m.sheet}** — ", 1)
        assert len(section) == 2, m.sheet
        columns = section[1].split("Columns: ", 1)[1].split("\n", 1)[0]
        for c in m.columns:
            assert f"{c.header} (" in columns, (m.sheet, c.header)
