"""The error every indicator source raises: said in Swedish and English, naming where the problem is."""

from __future__ import annotations


class IndicatorSourceError(ValueError):
    """Unusable indicator data: an API that cannot be reached or answers wrongly, or a bad file. Raised before
    anything is written, so the store is unchanged."""

    def __init__(self, sv: str, en: str):
        self.sv = sv
        self.en = en
        super().__init__(sv)

    def message(self, lang: str = "sv") -> str:
        return self.en if lang == "en" else self.sv
