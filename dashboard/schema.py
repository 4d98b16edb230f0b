"""The subset of Frictionless Table Schema that the data packages use, and the product's own copy of it.

Field types: string, number, integer. Constraints: required, unique, enum, pattern (full match),
minimum, maximum. Resource keys: name, path, schema (fields, primaryKey, foreignKeys); a resource
without a schema is not tabular and is skipped. Descriptions are read but are not part of the contract.

The product trusts only the schema shipped with it in ``dashboard/contract/``: it decides how every
table is read, checked and typed. A data folder's ``datapackage.json`` is the data's copy, kept so that
other tools can read the folder; ``dashboard.validate.contract`` holds it to the product's. Descriptors
are parsed strictly (``SchemaError`` says where one breaks the subset), because a descriptor is input too.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "CONTRACT_ATTRIBUTES",
    "GEODATA_CONTRACT",
    "SEEDS_CONTRACT",
    "TYPES",
    "Field",
    "ForeignKey",
    "Resource",
    "SchemaError",
    "convert",
    "load_package",
    "parse_package",
    "product_schema",
]

TYPES = ("string", "number", "integer")

#: What a field's contract is made of: two fields that agree on these read and check cells the same way.
CONTRACT_ATTRIBUTES = ("type", "required", "unique", "enum", "pattern", "minimum", "maximum")

#: The product's schema of the data folder (``geodata/``) and of the documents folder (``seeds/``).
CONTRACT_DIR = Path(__file__).resolve().parent / "contract"
GEODATA_CONTRACT = CONTRACT_DIR / "datapackage.json"
SEEDS_CONTRACT = CONTRACT_DIR / "seeds-datapackage.json"

#: Constraint keys of the subset; any other key is refused rather than silently not enforced.
_CONSTRAINTS = ("required", "unique", "enum", "pattern", "minimum", "maximum")

_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


class SchemaError(ValueError):
    """A descriptor that is not a data package of the subset read here; the message says where."""


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

    def contract(self) -> dict[str, Any]:
        """The attributes that decide how a cell is read and checked (not the description)."""
        return {name: getattr(self, name) for name in CONTRACT_ATTRIBUTES}


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


def load_package(path: Path) -> dict[str, Resource]:
    """Read a ``datapackage.json`` and return its tabular resources by name, in file order.

    Raises OSError when the file cannot be read and ``SchemaError`` (a ValueError) when its content is
    not a descriptor of the subset read here.
    """
    try:
        descriptor = json.loads(Path(path).read_bytes().decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise SchemaError(f"not a JSON document: {exc}") from exc
    return parse_package(descriptor)


def product_schema(contract: Path = GEODATA_CONTRACT) -> dict[str, Resource]:
    """The product's resources by name from one of its contract files (``GEODATA_CONTRACT``, ...)."""
    return dict(_read_contract(Path(contract)))


@lru_cache(maxsize=4)
def _read_contract(contract: Path) -> dict[str, Resource]:
    return load_package(contract)


def parse_package(descriptor: object) -> dict[str, Resource]:
    """The tabular resources of a parsed ``datapackage.json`` by name; ``SchemaError`` when malformed."""
    if not isinstance(descriptor, dict):
        raise SchemaError(f"the descriptor must be a JSON object, not {_kind(descriptor)}")
    listed = descriptor.get("resources")
    if not isinstance(listed, list):
        raise SchemaError(f"'resources' must be a list, not {_kind(listed)}")
    resources: dict[str, Resource] = {}
    for i, desc in enumerate(listed):
        if not isinstance(desc, dict):
            raise SchemaError(f"resources[{i}] must be an object, not {_kind(desc)}")
        if "schema" not in desc:
            continue  # not a tabular resource
        resource = _resource(desc, f"resources[{i}]")
        if resource.name in resources:
            raise SchemaError(f"resource {resource.name!r} is listed twice")
        resources[resource.name] = resource
    return resources


def _kind(value: object) -> str:
    """A JSON value's type in words, for messages."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _text(desc: dict[str, Any], key: str, where: str) -> str:
    value = desc.get(key)
    if not isinstance(value, str) or not value:
        raise SchemaError(f"{where}: {key!r} must be a non-empty string")
    return value


def _names(value: object, where: str) -> tuple[str, ...]:
    """A field name or a list of them (Table Schema allows both)."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise SchemaError(f"{where} must be a field name or a list of field names")
    return tuple(names)


def _resource(desc: dict[str, Any], where: str) -> Resource:
    name = _text(desc, "name", where)
    where = f"resource {name!r}"
    path = _text(desc, "path", where)
    schema = desc["schema"]
    if not isinstance(schema, dict):
        raise SchemaError(f"{where}: 'schema' must be an object, not {_kind(schema)}")
    listed = schema.get("fields")
    if not isinstance(listed, list) or not listed:
        raise SchemaError(f"{where}: 'fields' must be a non-empty list")
    fields = tuple(_field(f, where, i) for i, f in enumerate(listed))
    names = [f.name for f in fields]
    for fname in names:
        if names.count(fname) > 1:
            raise SchemaError(f"{where}: field {fname!r} is listed twice")
    primary_key = _names(schema["primaryKey"], f"{where}: 'primaryKey'") if "primaryKey" in schema else ()
    foreign_keys = _foreign_keys(schema.get("foreignKeys", []), where)
    for key in (*primary_key, *(fk.field for fk in foreign_keys)):
        if key not in names:
            raise SchemaError(f"{where}: key field {key!r} is not one of its fields")
    return Resource(name, path, fields, primary_key, foreign_keys)


def _foreign_keys(listed: object, where: str) -> tuple[ForeignKey, ...]:
    if not isinstance(listed, list):
        raise SchemaError(f"{where}: 'foreignKeys' must be a list")
    keys = []
    for i, fk in enumerate(listed):
        at = f"{where}: foreignKeys[{i}]"
        reference = fk.get("reference") if isinstance(fk, dict) else None
        if not isinstance(reference, dict):
            raise SchemaError(f"{at} must be an object with a 'reference' object")
        local, remote = _names(fk.get("fields"), f"{at}.fields"), _names(reference.get("fields"), at)
        if len(local) != 1 or len(remote) != 1:
            raise SchemaError(f"{at}: only single-field foreign keys are supported")
        keys.append(ForeignKey(local[0], _text(reference, "resource", at), remote[0]))
    return tuple(keys)


def _field(desc: object, resource: str, index: int) -> Field:
    where = f"{resource}, fields[{index}]"
    if not isinstance(desc, dict):
        raise SchemaError(f"{where} must be an object, not {_kind(desc)}")
    name = _text(desc, "name", where)
    where = f"{resource}, field {name!r}"
    type_ = desc.get("type", "string")
    if type_ not in TYPES:
        raise SchemaError(f"{where}: unsupported type {type_!r} (supported: {', '.join(TYPES)})")
    cons = desc.get("constraints", {})
    if not isinstance(cons, dict):
        raise SchemaError(f"{where}: 'constraints' must be an object")
    for key in cons:
        if key not in _CONSTRAINTS:
            raise SchemaError(
                f"{where}: unsupported constraint {key!r} (supported: {', '.join(_CONSTRAINTS)})"
            )
    for key in ("required", "unique"):
        if not isinstance(cons.get(key, False), bool):
            raise SchemaError(f"{where}: {key!r} must be true or false")
    description = desc.get("description", "")
    if not isinstance(description, str):
        raise SchemaError(f"{where}: 'description' must be a string")
    return Field(
        name=name,
        type=type_,
        required=cons.get("required", False),
        unique=cons.get("unique", False),
        enum=_enum(cons["enum"], where) if "enum" in cons else None,
        pattern=_pattern(cons["pattern"], where) if "pattern" in cons else None,
        minimum=_bound(cons, "minimum", type_, where),
        maximum=_bound(cons, "maximum", type_, where),
        description=description,
    )


def _scalar(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool))


def _enum(values: object, where: str) -> tuple[Any, ...]:
    if not isinstance(values, list) or not values or not all(_scalar(v) for v in values):
        raise SchemaError(f"{where}: 'enum' must be a non-empty list of strings or numbers")
    return tuple(values)


def _pattern(pattern: object, where: str) -> str:
    if not isinstance(pattern, str):
        raise SchemaError(f"{where}: 'pattern' must be a string")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise SchemaError(f"{where}: 'pattern' is not a regular expression ({exc})") from exc
    return pattern


def _bound(cons: dict[str, Any], key: str, type_: str, where: str) -> float | None:
    """A minimum or maximum: a finite number, and only on number or integer fields."""
    if key not in cons:
        return None
    value = cons[key]
    if type_ not in ("number", "integer"):
        raise SchemaError(f"{where}: {key!r} applies only to number and integer fields")
    try:
        # float() also refuses a JSON integer too long for a float, which messages could not print.
        finite = _scalar(value) and not isinstance(value, str) and math.isfinite(float(value))
    except OverflowError:
        finite = False
    if not finite:
        raise SchemaError(f"{where}: {key!r} must be a finite number")
    return value
