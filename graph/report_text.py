"""A validation report as readable text, in Swedish or English."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.term import Node

from graph.validation import SEVERITY_SV, Finding, Report

_HEAD = {
    "sv": ("Valideringsrapport", "fel", "varningar", "Lagret uppfyller formerna.", "fokus", "egenskap", "värde",
           "källa"),
    "en": ("Validation report", "violations", "warnings", "The store conforms to the shapes.", "focus", "path",
           "value", "source"),
}


def _term(node: Node | None) -> str:
    if node is None:
        return "–"
    return f"<{node}>" if isinstance(node, URIRef) else node.n3()


def finding_text(f: Finding, lang: str = "sv") -> str:
    h = _HEAD[lang]
    severity = SEVERITY_SV[f.severity] if lang == "sv" else f.severity
    lines = [f"[{severity}] {f.message(lang)}", f"    {h[4]}: {_term(f.focus)}"]
    if f.path_text is not None:
        lines.append(f"    {h[5]}: {f.path_text}")
    if f.value is not None:
        lines.append(f"    {h[6]}: {_term(f.value)}")
    if f.sources:
        lines.append(f"    {h[7]}: {', '.join(f.sources)}")
    return "\n".join(lines)


def report_text(report: Report, lang: str = "sv") -> str:
    h = _HEAD[lang]
    head = f"{h[0]}: {len(report.violations)} {h[1]}, {len(report.warnings)} {h[2]}"
    if not report.findings:
        return f"{head}\n{h[3]}"
    return head + "\n" + "\n".join(finding_text(f, lang) for f in report.findings)
