"""Parse one cell as a Swede writes it: numbers with space thousands and decimal comma, ISO dates, ja/nej.

Every parser takes the cell's value as openpyxl or the CSV reader gives it and returns the lexical form of
the RDF literal, or raises ValueProblem with the problem's code (its message is in messages.py).

Numbers (xsd:decimal, xsd:integer): an Excel number cell is taken as it is. In text, spaces (also no-break
and narrow no-break spaces) are thousands separators; "kr", "SEK" and ":-" after the number are dropped;
a comma is the decimal mark ("1 234,50"), unless the number also has a dot (then the last of the two is the
decimal mark: "1,234.50", "1.234,50") or several commas ("1,234,567": thousands). "−" counts as a minus.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from slugify import slugify


class ValueProblem(ValueError):
    def __init__(self, code: str, **details: str):
        self.code = code
        self.details = details
        super().__init__(code)


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_CURRENCY = re.compile(r"(?i)\s*(kr\.?|sek|kronor|:-)\s*$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DROPDOWN = re.compile(r"^(.+?)\s+[–—-]\s+.+$", re.S)  # "7 – Öka kollektivtrafikens marknadsandel"
TRUE = frozenset({"ja", "j", "x", "sant", "true", "yes", "y", "1"})
FALSE = frozenset({"nej", "n", "falskt", "false", "no", "0"})


def cell_text(value: Any) -> str | None:
    """The cell as trimmed text, None when empty. Whole numbers print without ".0"; dates as ISO."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def split_values(text: str, text_column: bool) -> list[str]:
    """Several values in one cell: one per line, and for non-text columns also separated by ';'."""
    parts = re.split(r"[\r\n]+" if text_column else r"[\r\n;]+", text)
    return [p.strip() for p in parts if p.strip()]


def without_dropdown_label(text: str) -> str:
    """'7 – Öka …' as a drop-down list gives it → '7'. Only a dash between spaces counts: ids have bare dashes."""
    m = _DROPDOWN.match(text)
    return m.group(1).strip() if m else text


@lru_cache(maxsize=65536)  # python-slugify is slow, and the same ids recur in every reference to them
def slug(text: str, keep_slash: bool = False) -> str:
    """Lower-case ASCII for IRIs: å/ä→a, ö→o, spaces and other signs → '-'; dots kept (SDG target 9.c)."""
    pattern = r"[^-a-z0-9./]+" if keep_slash else r"[^-a-z0-9.]+"
    result = slugify(text, regex_pattern=pattern)
    if keep_slash:
        segments = [s.strip("-") for s in result.split("/")]
        if any(s in ("", ".", "..") for s in segments):
            raise ValueProblem("id.invalid")
        result = "/".join(segments)
    if not result or result.strip(".") == "":
        raise ValueProblem("id.invalid")
    return result


def parse_decimal(value: Any, percent: bool = False, number_format: str = "General") -> str:
    if isinstance(value, bool):
        raise ValueProblem("type.number")
    if isinstance(value, int | float | Decimal):
        # Excel shows 15 significant digits; more would be binary noise (0.1 + 0.2 = 0.30000000000000004)
        number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
        if percent and "%" in number_format:  # a percent-formatted cell holds 0.45 for 45 %
            number = (number * 100).normalize()
        lexical = _plain(number)
    else:
        text = str(value).strip()
        if percent:
            text = re.sub(r"\s*%$", "", text)
        lexical = _decimal_text(text)
    if percent and not Decimal(0) <= Decimal(lexical) <= Decimal(100):
        raise ValueProblem("type.percent")
    return lexical


def _plain(number: Decimal) -> str:
    """Positional notation (no exponent), as xsd:decimal requires."""
    return format(number, "f")


def _decimal_text(text: str) -> str:
    text = _CURRENCY.sub("", text).strip().replace("\u2212", "-").lstrip("+")
    groups = _SPACES.split(text)
    if len(groups) > 1 and any(len(g) != 3 for g in [*groups[1:-1], re.split(r"[.,]", groups[-1])[0]]):
        raise ValueProblem("type.number")  # spaces separate thousands: "1 234 567", never "1 23"
    text = "".join(groups)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    if not re.fullmatch(r"[0-9.,]+", text) or not re.search(r"[0-9]", text):
        raise ValueProblem("type.number")
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
    elif commas > 1:
        decimal_mark, thousands = "", ","
    elif dots > 1:
        decimal_mark, thousands = "", "."
    else:
        decimal_mark, thousands = ("," if commas else "." if dots else ""), ""
    if thousands:
        whole = text.split(decimal_mark)[0] if decimal_mark else text
        groups = whole.split(thousands)
        if not groups[0] or any(len(g) != 3 for g in groups[1:]):
            raise ValueProblem("type.number")
        text = text.replace(thousands, "")
    if decimal_mark:
        whole, _, fraction = text.partition(decimal_mark)
        if decimal_mark in fraction or not fraction or not fraction.isdigit():
            raise ValueProblem("type.number")
        text = f"{whole or '0'}.{fraction}"
    try:
        Decimal(text)
    except InvalidOperation:
        raise ValueProblem("type.number") from None
    return sign + text


def parse_integer(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    try:
        lexical = _decimal_text(str(value).strip())
    except ValueProblem:
        raise ValueProblem("type.integer") from None
    if "." in lexical:
        raise ValueProblem("type.integer")
    return str(int(lexical))


def parse_year(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if not isinstance(value, bool) else ""
    if not re.fullmatch(r"\d{4}", text):
        raise ValueProblem("type.year")
    return text


def parse_date(value: Any) -> str:
    if isinstance(value, datetime):
        if value.time() != time():
            raise ValueProblem("type.date")
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    m = _ISO_DATE.match(str(value).strip()) if isinstance(value, str) else None
    if not m:
        raise ValueProblem("type.date")
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise ValueProblem("type.date") from None


def parse_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = (cell_text(value) or "").casefold()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueProblem("type.boolean")


def parse_iri(value: Any) -> str:
    """An absolute web address; no spaces, a scheme such as https: (checked further by pyoxigraph)."""
    text = str(value).strip()
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", text):
        raise ValueProblem("type.iri")
    return text


def normalise_key(text: str) -> str:
    """How a cell is compared with labels, notations and numbers: case and spacing ignored."""
    return " ".join(str(text).replace("\u00a0", " ").split()).casefold()
