"""The inverse of a mapping's IRI templates: which cell values a given IRI was made from.

`insats/{Id}` made `<base>insats/ruv-2023-0101` from Id "ruv-2023-0101"; `{}` stands for one path segment,
`{+}` for one or more (it keeps '/'). Used to write the values a workbook cell must hold to name a resource.
"""

from __future__ import annotations

import re
from functools import lru_cache

from loaders.workbook.mapping import expand_template, normalise_header

_PLACEHOLDER = re.compile(r"\{(\+?)([^{}]*)\}")


@lru_cache(maxsize=512)
def _pattern(template: str, base_iri: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    expanded = expand_template(template, base_iri)
    parts: list[str] = []
    names: list[str] = []
    last = 0
    for m in _PLACEHOLDER.finditer(expanded):
        parts.append(re.escape(expanded[last:m.start()]))
        parts.append("(.+)" if m.group(1) == "+" else "([^/]+)")
        names.append(normalise_header(m.group(2)))
        last = m.end()
    parts.append(re.escape(expanded[last:]))
    return re.compile("".join(parts)), tuple(names)


def template_values(template: str, base_iri: str, iri: str) -> dict[str, str] | None:
    """The placeholder values (keyed by normalised header; "" for a bare `{}`) that make `iri`, or None."""
    pattern, names = _pattern(template, base_iri)
    m = pattern.fullmatch(iri)
    if m is None:
        return None
    return dict(zip(names, m.groups(), strict=True))


def reference_value(templates: tuple[str, ...], base_iri: str, iri: str) -> str | None:
    """What a reference cell holds to name `iri`: the fill of the first of `templates` that matches."""
    for template in templates:
        values = template_values(template, base_iri, iri)
        if values is not None:
            return next(iter(values.values()))
    return None
