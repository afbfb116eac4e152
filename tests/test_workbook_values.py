"""One cell at a time: Swedish numbers, dates, ja/nej, percentages, web addresses, slugs and drop-down values."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from loaders.workbook.values import (
    ValueProblem,
    cell_text,
    parse_boolean,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_iri,
    parse_year,
    slug,
    split_values,
    without_dropdown_label,
)


@pytest.mark.parametrize(("written", "lexical"), [
    ("1 234 567", "1234567"),
    ("1\u00a0234\u00a0567", "1234567"),  # no-break space, as Excel writes it
    ("1\u202f234\u202f567", "1234567"),  # narrow no-break space
    ("1 234,50", "1234.50"),
    ("1234,5", "1234.5"),
    ("12 500 kr", "12500"),
    ("12 500 SEK", "12500"),
    ("12 500:-", "12500"),
    ("1,234,567", "1234567"),
    ("1.234,50", "1234.50"),
    ("1,234.50", "1234.50"),
    ("52,0", "52.0"),  # the trailing zero is kept: the literal is written as given
    ("−5", "-5"),  # the typographic minus
    ("+7", "7"),
    (",5", "0.5"),
    (2400000, "2400000"),
    (75.8, "75.8"),
    (0.1 + 0.2, "0.3"),  # Excel's 15 significant digits, not binary noise
])
def test_swedish_numbers_are_understood(written: object, lexical: str) -> None:
    assert parse_decimal(written) == lexical


@pytest.mark.parametrize("written", ["1 23", "1 2345", "12,5,0", "abc", "1-2", "", "1,2.3,4", "- 5", True])
def test_what_is_not_a_number_is_rejected(written: object) -> None:
    with pytest.raises(ValueProblem) as e:
        parse_decimal(written)
    assert e.value.code == "type.number"


def test_percentages_from_text_and_percent_formatted_cells() -> None:
    assert parse_decimal("45 %", percent=True) == "45"
    assert parse_decimal("45,5", percent=True) == "45.5"
    assert parse_decimal(0.45, percent=True, number_format="0%") == "45"  # the cell holds 0,45 and shows 45 %
    assert parse_decimal(45, percent=True) == "45"
    for bad in ("140", "-1", 1.5):
        with pytest.raises(ValueProblem) as e:
            parse_decimal(bad, percent=True, number_format="0%" if isinstance(bad, float) else "General")
        assert e.value.code == "type.percent"


def test_integers_and_years() -> None:
    assert parse_integer("3") == "3"
    assert parse_integer(3.0) == "3"
    assert parse_integer("1 200") == "1200"
    for bad in ("1,5", "tre"):
        with pytest.raises(ValueProblem) as e:
            parse_integer(bad)
        assert e.value.code == "type.integer"
    assert parse_year(2024) == "2024"
    assert parse_year("2024") == "2024"
    for bad in ("24", "2024-01-01", "år 2024", 2024.5):
        with pytest.raises(ValueProblem) as e:
            parse_year(bad)
        assert e.value.code == "type.year"


def test_dates_from_iso_text_and_date_cells() -> None:
    assert parse_date("2024-03-01") == "2024-03-01"
    assert parse_date("2024-3-1") == "2024-03-01"
    assert parse_date(datetime(2024, 3, 1)) == "2024-03-01"
    assert parse_date(date(2024, 3, 1)) == "2024-03-01"
    for bad in ("2024-13-01", "2024-02-30", "1/3/2024", "1 mars 2024", 45352, datetime(2024, 3, 1, 12, 30)):
        with pytest.raises(ValueProblem) as e:
            parse_date(bad)
        assert e.value.code == "type.date"


@pytest.mark.parametrize(("written", "value"), [
    ("ja", True), ("JA ", True), ("x", True), ("X", True), ("true", True), ("sant", True), (True, True), (1, True),
    ("nej", False), ("Nej", False), ("false", False), (False, False), (0, False),
])
def test_booleans(written: object, value: bool) -> None:
    assert parse_boolean(written) is value


def test_what_is_not_yes_or_no_is_rejected() -> None:
    with pytest.raises(ValueProblem) as e:
        parse_boolean("kanske")
    assert e.value.code == "type.boolean"


def test_web_addresses() -> None:
    assert parse_iri(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    for bad in ("www.example.org", "https://example.org/a b", "se källan"):
        with pytest.raises(ValueProblem) as e:
            parse_iri(bad)
        assert e.value.code == "type.iri"


def test_slugs_follow_the_design_rule() -> None:
    assert slug("RUV 2023/0101") == "ruv-2023-0101"
    assert slug("Västerås  Stad") == "vasteras-stad"
    assert slug("Örebro län") == "orebro-lan"
    assert slug("9.c") == "9.c"
    assert slug("plan-x/mal/1", keep_slash=True) == "plan-x/mal/1"
    for bad, keep in (("???", False), ("a//b", True), ("a/../b", True)):
        with pytest.raises(ValueProblem) as e:
            slug(bad, keep)
        assert e.value.code == "id.invalid"


def test_drop_down_values_and_several_values_in_a_cell() -> None:
    assert without_dropdown_label("7 – Öka kollektivtrafikens marknadsandel") == "7"
    assert without_dropdown_label("ruv-2023-0101") == "ruv-2023-0101"  # a bare dash is part of an id
    assert split_values("7; 9 ;\n12", text_column=False) == ["7", "9", "12"]
    assert split_values("Först; sedan.\nTill sist.", text_column=True) == ["Först; sedan.", "Till sist."]


def test_cell_text() -> None:
    assert cell_text("  Titel  ") == "Titel"
    assert cell_text("   ") is None
    assert cell_text(None) is None
    assert cell_text(2019.0) == "2019"
    assert cell_text(datetime(2024, 3, 1)) == "2024-03-01"
