"""Decode a JSON-stat 2.0 dataset (https://json-stat.org/format/) into cells: one cell per combination of
category codes, with its value and status. The format is small and stable, and the one library for it (pyjstat)
pulls in pandas, so the decoding is done here, checking every field it reads."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

from loaders.indicators.fields import Answer


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    codes: tuple[str, ...]  # in index order
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # category code → unit text (metric dimensions)

    def label_of(self, code: str) -> str:
        return self.labels.get(code, code)


@dataclass(frozen=True)
class Cell:
    codes: dict[str, str]  # dimension id → category code
    value: Decimal | None
    status: str | None


@dataclass(frozen=True)
class Dataset:
    label: str | None
    updated: str | None
    dimensions: dict[str, Dimension]  # in the order of `id`
    roles: dict[str, tuple[str, ...]]  # time / geo / metric → dimension ids
    cells: list[Cell]


def decode(answer: Answer) -> Dataset:
    version = answer.field("version", optional=True).optional_text()
    if version is not None and not version.startswith("2"):
        raise answer.wrong(f"är '{version}', väntade 2.0", f"is '{version}', expected 2.0", "version")
    if answer.field("class").text() != "dataset":
        raise answer.wrong("ska vara 'dataset'", "should be 'dataset'", "class")
    ids = [a.text() for a in answer.field("id").items()]
    sizes = [_size(a) for a in answer.field("size").items()]
    if len(ids) != len(sizes):
        raise answer.wrong("ska ha lika många tal som 'id' har namn", "should have as many numbers as 'id' has names",
                           "size")
    dimension = answer.field("dimension")
    dimensions = {i: _dimension(i, dimension.field(i)) for i in ids}
    for i, n in zip(ids, sizes, strict=True):
        if len(dimensions[i].codes) != n:
            raise answer.wrong(f"har {len(dimensions[i].codes)} kategorier men 'size' säger {n}",
                               f"has {len(dimensions[i].codes)} categories but 'size' says {n}",
                               f"dimension.{i}.category.index")
    total = math.prod(sizes)
    values = _by_position(answer.field("value"), total)
    statuses = _statuses(answer.field("status", optional=True), total)
    cells = []
    for position, combination in enumerate(product(*(dimensions[i].codes for i in ids))):  # row-major order
        cells.append(Cell(dict(zip(ids, combination, strict=True)), values[position], statuses[position]))
    role = answer.field("role", optional=True)
    roles = {} if role.data is None else {name: tuple(a.text() for a in of.items()) for name, of in role.entries()}
    return Dataset(
        label=answer.field("label", optional=True).optional_text(),
        updated=answer.field("updated", optional=True).optional_text(),
        dimensions=dimensions, roles=roles, cells=cells,
    )


def _size(a: Answer) -> int:
    if isinstance(a.data, int) and not isinstance(a.data, bool) and a.data >= 0:
        return a.data
    raise a.wrong("ska vara ett heltal", "should be a whole number")


def _dimension(dim_id: str, a: Answer) -> Dimension:
    category = a.field("category")
    index = category.field("index", optional=True)
    label_field = category.field("label", optional=True)
    labels = {} if label_field.data is None else {code: v.text() for code, v in label_field.entries()}
    if index.data is None:  # allowed by JSON-stat when a dimension has a single category
        if len(labels) != 1:
            raise index.wrong("saknas", "is missing")
        codes: tuple[str, ...] = tuple(labels)
    elif isinstance(index.data, list):
        codes = tuple(v.text() for v in index.items())
    else:
        positions = {code: _size(v) for code, v in index.entries()}
        codes = tuple(sorted(positions, key=positions.__getitem__))
        if sorted(positions.values()) != list(range(len(codes))):
            raise index.wrong("ska numrera kategorierna 0, 1, 2 …", "should number the categories 0, 1, 2 …")
    units = {}
    unit = category.field("unit", optional=True)
    if unit.data is not None:
        for code, u in unit.entries():
            text = u.field("base", optional=True).optional_text() or u.field("label", optional=True).optional_text()
            if text:
                units[code] = text
    label = a.field("label", optional=True).optional_text() or dim_id
    return Dimension(id=dim_id, label=label, codes=codes, labels=labels, units=units)


def _by_position(a: Answer, total: int) -> list[Decimal | None]:
    """`value` is an array in row-major order, or an object {position: value} for a sparse dataset."""
    if isinstance(a.data, list):
        items = a.items()
        if len(items) != total:
            raise a.wrong(f"har {len(items)} värden men dimensionerna ger {total}",
                          f"has {len(items)} values but the dimensions give {total}")
        return [v.number() for v in items]
    out: list[Decimal | None] = [None] * total
    for key, v in a.entries():
        out[_position(a, key, total)] = v.number()
    return out


def _statuses(a: Answer, total: int) -> list[str | None]:
    """`status` is absent, one string for every value, an array, or an object {position: status}."""
    if a.data is None:
        return [None] * total
    if isinstance(a.data, str):
        return [a.data] * total
    if isinstance(a.data, list):
        return [v.optional_text() for v in a.items()] + [None] * (total - len(a.data))
    out: list[str | None] = [None] * total
    for key, v in a.entries():
        out[_position(a, key, total)] = v.optional_text()
    return out


def _position(a: Answer, key: str, total: int) -> int:
    if key.isdigit() and int(key) < total:
        return int(key)
    raise a.wrong(f"har positionen '{key}' utanför datasetet", f"has the position '{key}' outside the dataset")
