"""Unusable input: the workbook cannot be read at all (exit code 2). Problems inside a readable workbook are
CellProblems instead, so that all of them are reported at once."""

from __future__ import annotations

from pathlib import Path


class WorkbookError(ValueError):
    """Names the file (and the sheet or line when there is one) in Swedish and English."""

    def __init__(self, path: Path | str, message_sv: str, message_en: str):
        self.path = str(path)
        self.message_sv = message_sv
        self.message_en = message_en
        super().__init__(f"{self.path}: {message_sv}")

    def message(self, lang: str = "sv") -> str:
        return f"{self.path}: {self.message_en if lang == 'en' else self.message_sv}"
