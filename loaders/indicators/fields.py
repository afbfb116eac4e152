"""Reading an API answer field by field: a missing or malformed field is named with its path and the URL, so
an API that changed its format gives a clear error instead of a wrong graph."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from loaders.indicators.errors import IndicatorSourceError


class Answer:
    """A JSON value at a path (`values[3].period`) in the answer from `url`."""

    def __init__(self, data: Any, url: str, path: str = ""):
        self.data = data
        self.url = url
        self.path = path

    def _at(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def wrong(self, expected_sv: str, expected_en: str, path: str | None = None) -> IndicatorSourceError:
        where = path if path is not None else (self.path or "(hela svaret)")
        return IndicatorSourceError(
            f"{self.url}: svaret har inte det väntade formatet: fältet '{where}' {expected_sv} "
            "(har API:et ändrat format?) — inget skrevs till lagret",
            f"{self.url}: the answer does not have the expected format: field '{where}' {expected_en} "
            "(has the API changed its format?) — nothing was written",
        )

    def field(self, key: str, *, optional: bool = False) -> Answer:
        if not isinstance(self.data, dict):
            raise self.wrong("ska vara ett objekt", "should be an object")
        if key not in self.data:
            if optional:
                return Answer(None, self.url, self._at(key))
            raise self.wrong("saknas", "is missing", self._at(key))
        return Answer(self.data[key], self.url, self._at(key))

    def items(self) -> list[Answer]:
        if not isinstance(self.data, list):
            raise self.wrong("ska vara en lista", "should be a list")
        return [Answer(v, self.url, self._at(i)) for i, v in enumerate(self.data)]

    def entries(self) -> list[tuple[str, Answer]]:
        if not isinstance(self.data, dict):
            raise self.wrong("ska vara ett objekt", "should be an object")
        return [(str(k), Answer(v, self.url, self._at(str(k)))) for k, v in self.data.items()]

    def text(self) -> str:
        if isinstance(self.data, str) and self.data.strip():
            return self.data
        if isinstance(self.data, int) and not isinstance(self.data, bool):
            return str(self.data)
        raise self.wrong("ska vara en text", "should be a text")

    def optional_text(self) -> str | None:
        return None if self.data is None or self.data == "" else self.text()

    def year(self) -> int:
        raw = self.data
        if isinstance(raw, int) and not isinstance(raw, bool) and 1000 <= raw <= 9999:
            return raw
        if isinstance(raw, str) and len(raw) == 4 and raw.isdigit():
            return int(raw)
        raise self.wrong(f"ska vara ett årtal, inte {raw!r}", f"should be a year, not {raw!r}")

    def number(self) -> Decimal | None:
        """A number, or None for null (a value the source does not have)."""
        raw = self.data
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise self.wrong(f"ska vara ett tal, inte {raw!r}", f"should be a number, not {raw!r}")
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise self.wrong(f"ska vara ett tal, inte {raw!r}", f"should be a number, not {raw!r}") from None
        if not value.is_finite():
            raise self.wrong(f"ska vara ett ändligt tal, inte {raw!r}", f"should be a finite number, not {raw!r}")
        return value

    def flag(self) -> bool:
        if self.data is None:
            return False
        if isinstance(self.data, bool):
            return self.data
        raise self.wrong("ska vara true eller false", "should be true or false")
