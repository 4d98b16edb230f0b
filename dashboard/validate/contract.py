"""A folder's ``datapackage.json`` held to the product's own schema (``dashboard/contract/``).

The product reads, checks and types every table by the schema shipped with it. The copy in a data folder
is for other tools (Frictionless and the like); it must say the same thing, field for field, or those
tools would read the data differently, and a folder could otherwise loosen its own rules (a latitude
declared as text) and pass. Every difference is a problem at ``datapackage.json``, row 0, with the
field named ``resource.field``; descriptions may differ.

A resource the copy leaves out is not read: the folder says it does not provide it, and that is the
problem reported. When the copy cannot be read at all, every table is still checked against the
product's schema, so one broken descriptor does not hide the state of the data.

Where the copy declares a field of the same type but asks more of it (a required value, a shorter list
of values), its constraints are checked as well, so a curator who tightened it sees every row it
rejects. Its patterns are never run: only the product's own regular expressions are trusted.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.schema import Field, Resource, SchemaError, parse_package
from dashboard.validate.files import read_regular_file
from dashboard.validate.problems import Collector

#: Why a missing resource matters, where a file not being checked does not say it all.
_MISSING_WHY = {"country_bounds": "places cannot be checked against their country's box"}


@dataclass
class PackageCheck:
    """What to read in a folder: the product's resources, and the copy's stricter fields by resource."""

    resources: dict[str, Resource]
    stricter: dict[str, list[Field]] = field(default_factory=dict)


def check_package(folder: Path, product: dict[str, Resource], out: Collector) -> PackageCheck:
    """Compare ``folder/datapackage.json`` with ``product``; report every difference."""
    path = folder / "datapackage.json"
    file = out.name(path)
    try:
        copy = parse_package(_read_json(path))
    except OSError as exc:
        out.add(file, 0, "", f"cannot read the data package: {exc.strerror or type(exc).__name__}")
        return PackageCheck(dict(product))
    except SchemaError as exc:
        out.add(file, 0, "", f"not a data package the product can read: {exc}")
        return PackageCheck(dict(product))
    check = PackageCheck({})
    for name, ours in product.items():
        theirs = copy.get(name)
        if theirs is None:
            why = _MISSING_WHY.get(name, f"{ours.path} is not checked")
            out.add(file, 0, "resources", f"no {name!r} resource: {why}")
            continue
        check.resources[name] = ours
        _compare_resource(file, ours, theirs, out)
        check.stricter[name] = _stricter_fields(ours, theirs)
    for name in copy:
        if name not in product:
            out.add(file, 0, name, "a resource that is not in the product's schema")
    return check


def _read_json(path: Path) -> Any:
    """The parsed file; OSError when unreadable, SchemaError when it is not JSON in UTF-8."""
    data = read_regular_file(path)
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SchemaError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except RecursionError as exc:
        raise SchemaError("not JSON this reader accepts (nested too deeply)") from exc
    except ValueError as exc:
        raise SchemaError(f"not JSON ({exc})") from exc


def _show(value: object) -> str:
    return "not set" if value is None else json.dumps(list(value) if isinstance(value, tuple) else value)


def _compare_resource(file: str, ours: Resource, theirs: Resource, out: Collector) -> None:
    """Path, field list and order, each field's contract, and the keys."""
    where = ours.name
    if theirs.path != ours.path:
        out.add(
            file, 0, where, f"path is {_show(theirs.path)} here, {_show(ours.path)} in the product's schema"
        )
    mine, wanted = theirs.field_names, ours.field_names
    for name in wanted:
        if name not in mine:
            out.add(file, 0, f"{where}.{name}", "missing here; the product's schema has this field")
    for name in mine:
        if name not in wanted:
            out.add(file, 0, f"{where}.{name}", "a field that is not in the product's schema")
    if [n for n in mine if n in wanted] != [n for n in wanted if n in mine]:
        out.add(file, 0, where, f"fields are out of order; the product's order is {', '.join(wanted)}")
    for fld in ours.fields:
        if fld.name in mine:
            _compare_field(file, f"{where}.{fld.name}", fld, theirs.get_field(fld.name), out)
    if (theirs.primary_key, theirs.foreign_keys) != (ours.primary_key, ours.foreign_keys):
        out.add(file, 0, where, "primaryKey or foreignKeys differ from the product's schema")


def _compare_field(file: str, where: str, ours: Field, theirs: Field, out: Collector) -> None:
    differences = [
        f"{name} is {_show(theirs.contract()[name])} here, {_show(value)} in the product's schema"
        for name, value in ours.contract().items()
        if theirs.contract()[name] != value
    ]
    if differences:
        out.add(file, 0, where, "; ".join(differences))


def _stricter_fields(ours: Resource, theirs: Resource) -> list[Field]:
    """The copy's fields that may reject more cells than ours: same type, other constraints.

    The copy's pattern is replaced by ours: a regular expression from a data folder is not run.
    """
    stricter = []
    for fld in theirs.fields:
        if fld.name not in ours.field_names:
            continue
        own = ours.get_field(fld.name)
        candidate = dataclasses.replace(fld, pattern=own.pattern)
        if candidate.type == own.type and candidate.contract() != own.contract():
            stricter.append(candidate)
    return stricter
