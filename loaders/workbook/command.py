"""The workbook part of `sparbar load`: which paths are workbooks, and the text and exit code of loading one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.settings import Region
from graph.store import Store
from graph.validation import Validator
from loaders.workbook.errors import WorkbookError
from loaders.workbook.importer import EXIT_OK, EXIT_UNUSABLE, WorkbookOutcome, load_workbook
from loaders.workbook.mapping import MappingError, load_mappings, mappings_folder
from loaders.workbook.marked_copy import MarkedCopyError, write_marked_copy
from loaders.workbook.report import problems_text

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

_STATUS = {
    "sv": {
        "written": "Inläst: <{graph}> ({rows} rader, {triples} tripler).",
        "dry": "Torrkörning (--dry-run): arbetsboken kan läsas in ({rows} rader, {triples} tripler); inget skrevs.",
        "refused": "Inget skrevs till lagret: rätta felen ovan och läs in arbetsboken igen.",
        "unusable": "Arbetsboken kan inte läsas in som den är; inget skrevs till lagret.",
        "elsewhere": "({n} varningar om andra källor i lagret visas inte här; se 'sparbar validate'.)",
        "marked": "Markerad kopia med problemen: {path}",
        "one": "--marked-copy gäller en arbetsbok i taget",
    },
    "en": {
        "written": "Loaded: <{graph}> ({rows} rows, {triples} triples).",
        "dry": "Dry run (--dry-run): the workbook can be loaded ({rows} rows, {triples} triples); nothing written.",
        "refused": "Nothing was written to the store: fix the errors above and load the workbook again.",
        "unusable": "The workbook cannot be loaded as it is; nothing was written to the store.",
        "elsewhere": "({n} warnings about other sources in the store are not shown here; see 'sparbar validate'.)",
        "marked": "Marked copy with the problems: {path}",
        "one": "--marked-copy works on one workbook at a time",
    },
}


def is_workbook(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() in WORKBOOK_SUFFIXES


def load_workbooks(paths: list[Path], store: Store, region: Region, region_file: Path, lang: str, dry_run: bool,
                   echo: Callable[[str], None], echo_err: Callable[[str], None],
                   marked_copy: Path | None = None) -> int:
    """Load each workbook in turn (each its own all-or-nothing transaction); the worst exit code wins.
    `marked_copy`: also write the workbook with its problem cells marked (one workbook only)."""
    if marked_copy is not None and len(paths) != 1:
        echo_err(f"sparbar: {_STATUS[lang]['one']}")
        return EXIT_UNUSABLE
    try:
        mappings = load_mappings(mappings_folder(region_file))
    except (MappingError, OSError) as e:
        echo_err(f"sparbar: {e}")
        return EXIT_UNUSABLE
    validator = Validator()
    worst = EXIT_OK
    for path in paths:
        try:
            outcome = load_workbook(path, store, region, validator, mappings, dry_run=dry_run)
        except WorkbookError as e:
            echo_err(f"sparbar: {e.message(lang)}")
            worst = max(worst, EXIT_UNUSABLE)
            continue
        echo(problems_text(outcome.source, outcome.problems, lang))
        _status(outcome, lang, dry_run, echo, echo_err)
        worst = max(worst, outcome.exit_code)
        if marked_copy is not None:
            try:
                write_marked_copy(path, outcome.problems, marked_copy, lang, {m.sheet: m.id_column for m in mappings})
            except MarkedCopyError as e:
                echo_err(f"sparbar: {e}")
                worst = max(worst, EXIT_UNUSABLE)
            else:
                echo(_STATUS[lang]["marked"].format(path=marked_copy))
    return worst


def _status(outcome: WorkbookOutcome, lang: str, dry_run: bool, echo: Callable[[str], None],
            echo_err: Callable[[str], None]) -> None:
    text = _STATUS[lang]
    if outcome.elsewhere:
        echo(text["elsewhere"].format(n=outcome.elsewhere))
    values = {"graph": outcome.graph_name, "rows": outcome.rows, "triples": outcome.triples}
    if outcome.unusable:
        echo_err(f"sparbar: {text['unusable']}")
    elif not outcome.conforms:
        echo_err(f"sparbar: {text['refused']}")
    elif outcome.written:
        echo(text["written"].format(**values))
    elif dry_run:
        echo(text["dry"].format(**values))
