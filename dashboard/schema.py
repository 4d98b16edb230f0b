"""The subset of Frictionless Table Schema that the data package uses, read from ``datapackage.json``.

Field types: string, number, integer. Constraints: required, unique, enum, pattern (full match),
minimum, maximum. Resource keys: primaryKey, foreignKeys. Anything else in a descriptor is ignored here.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TYPES = ("string", "number", "integer")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class Field:
    """One column of a table and its constraints."""

    name: str
    type: str = "string"
    required: bool = False
    unique: bool = False
    enum: tuple[Any, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""

    def check(self, raw: str) -> list[str]:
        """Return what is wrong with the cell text ``raw`` (empty when it is valid)."""
        if raw == "":
            return ["required value is missing"] if self.required else []
        try:
            value = convert(self.type, raw)
        except ValueError as exc:
            return [str(exc)]
        problems = []
        if self.enum is not None and value not in self.enum:
            allowed = ", ".join(str(v) for v in self.enum)
            problems.append(f"{raw!r} is not one of the allowed values ({allowed})")
        if self.pattern is not None and not re.fullmatch(self.pattern, raw):
            problems.append(f"{raw!r} does not match the pattern {self.pattern}")
        if self.minimum is not None and value < self.minimum:
            problems.append(f"{raw} is below the minimum {self.minimum:g}")
        if self.maximum is not None and value > self.maximum:
            problems.append(f"{raw} is above the maximum {self.maximum:g}")
        return problems


@dataclass(frozen=True)
class ForeignKey:
    """A column whose values must be ids of another resource."""

    field: str
    resource: str
    reference_field: str


@dataclass(frozen=True)
class Resource:
    """A tabular resource: its file (relative to the package) and its fields."""

    name: str
    path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def field_names(self) -> list[str]:
        """The column names in schema order."""
        return [f.name for f in self.fields]

    def get_field(self, name: str) -> Field:
        """The field called ``name``; KeyError if there is none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


def convert(type_: str, raw: str) -> Any:
    """Convert a non-empty cell to its schema type; raise ValueError saying why it cannot be."""
    if type_ == "string":
        return raw
    if type_ == "integer":
        if not _INTEGER.fullmatch(raw):
            raise ValueError(f"{raw!r} is not an integer")
        return int(raw)
    if type_ == "number":
        # A strict pattern: "NaN", "inf", "1,000" and " 12" are not numbers in this data.
        if not _NUMBER.fullmatch(raw):
            raise ValueError(f"{raw!r} is not a number")
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError(f"{raw!r} is not a finite number")
        return value
    raise ValueError(f"unsupported field type {type_!r}")


def _as_tuple(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _field(desc: dict[str, Any]) -> Field:
    type_ = desc.get("type", "string")
    if type_ not in TYPES:
        raise ValueError(f"field {desc.get('name')!r}: unsupported type {type_!r}")
    cons = desc.get("constraints", {})
    enum = cons.get("enum")
    return Field(
        name=desc["name"],
        type=type_,
        required=bool(cons.get("required", False)),
        unique=bool(cons.get("unique", False)),
        enum=tuple(enum) if enum is not None else None,
        pattern=cons.get("pattern"),
        minimum=cons.get("minimum"),
        maximum=cons.get("maximum"),
        description=desc.get("description", ""),
    )


def _resource(desc: dict[str, Any]) -> Resource:
    schema = desc["schema"]
    fks = []
    for fk in schema.get("foreignKeys", []):
        (local,) = _as_tuple(fk["fields"])
        (remote,) = _as_tuple(fk["reference"]["fields"])
        fks.append(ForeignKey(local, fk["reference"]["resource"], remote))
    return Resource(
        name=desc["name"],
        path=desc["path"],
        fields=tuple(_field(f) for f in schema["fields"]),
        primary_key=_as_tuple(schema.get("primaryKey", ())),
        foreign_keys=tuple(fks),
    )


def load_package(path: Path) -> dict[str, Resource]:
    """Read a ``datapackage.json`` and return its tabular resources by name, in file order.

    Raises ValueError (or OSError, json.JSONDecodeError) when the descriptor cannot be used.
    """
    package = json.loads(path.read_text(encoding="utf-8"))
    resources = {}
    for desc in package.get("resources", []):
        if "schema" not in desc:
            continue
        try:
            resource = _resource(desc)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"resource {desc.get('name')!r}: {exc}") from exc
        resources[resource.name] = resource
    return resources
