"""Well-formedness: each resource against its kind's JSON Schema (FL002).

jsonschema-rs decides valid or invalid (about a hundred times faster than the Python library);
for the few invalid documents, the Python `jsonschema` library lists the errors, because its error
objects carry the failing keyword, the schema and the instance, from which the messages below are
worded for an admin ("unknown key 'EwsAllowlist'; did you mean 'EwsAllowList'?").

A resource is validated as its kind's service reads it: for Exchange's kinds, `faqlint.values`
has already given case-variants their documented spelling (FL013), so only what Exchange itself
would refuse is an FL002 here.

Native documents are strict. Raw exports are validated against a lenient copy of the kind's spec
schema (no `additionalProperties: false`): exports carry hundreds of properties faqlint does not
model; those it models are still checked.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from faqlint.codes import engine_finding
from faqlint.errors import FaqlintError
from faqlint.findings import Finding
from faqlint.identify import Resource, suggest
from faqlint.loaded import escape
from faqlint.resources import builtin_schemas

DIALECT = "https://json-schema.org/draft/2020-12/schema"
OWN_FORMATS = frozenset({"PolicyPack", "FaqlintConfig"})  # schemas of faqlint's own files


@dataclass(frozen=True)
class KindSchema:
    """A kind's schema, with its validators compiled on first use (most runs need few kinds)."""

    kind: str
    path: Path
    schema: dict[str, Any]

    @cached_property
    def lenient_schema(self) -> dict[str, Any]:
        return {
            "$schema": DIALECT,
            "$defs": _relaxed(self.schema.get("$defs", {})),
            "$ref": "#/$defs/spec",
        }

    @cached_property
    def strict(self) -> Any:
        """jsonschema-rs validator for the whole native document."""
        return self._compile(self.schema)

    @cached_property
    def lenient(self) -> Any:
        """jsonschema-rs validator for a raw export's spec."""
        return self._compile(self.lenient_schema)

    def _compile(self, schema: dict[str, Any]) -> Any:
        import jsonschema_rs  # only a run that reads a file validates: a warm run does not

        try:
            return jsonschema_rs.validator_for(schema)
        except (ValueError, jsonschema_rs.ValidationError) as err:
            raise SchemaError(f"{self.path}: invalid schema: {err}") from None


class SchemaError(FaqlintError):
    """A schema file that does not load: exit 2."""


def _relaxed(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: _relaxed(v)
            for k, v in node.items()
            if not (k == "additionalProperties" and v is False)
        }
    if isinstance(node, list):
        return [_relaxed(v) for v in node]
    return node


@functools.cache
def load_schemas() -> dict[str, KindSchema]:
    """The kind schemas of `schemas/`, read once a process: the catalogue validates with them
    and the export readers fit exports to them."""
    kinds: dict[str, KindSchema] = {}
    for path in sorted(builtin_schemas().glob("*.schema.json")):
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise SchemaError(f"{path}: cannot read schema: {err}") from None
        kind = schema.get("title")
        if not isinstance(kind, str) or kind in OWN_FORMATS:
            continue
        kinds[kind] = KindSchema(kind, path, schema)
    return kinds


def validate(
    resource: Resource, document_data: Any, schemas: dict[str, KindSchema]
) -> list[Finding]:
    """FL002 findings for one resource (`document_data` is the whole native document; its spec
    is taken from the resource, as read)."""
    kind = schemas[resource.kind]
    if resource.native:
        document_data = _with_spec(document_data, resource.spec)
        if kind.strict.is_valid(document_data):
            return []
        errors = _errors(kind.schema, document_data)
        base = resource.root
    else:
        if kind.lenient.is_valid(resource.spec):
            return []
        # Worded from `spec` as for a native file, so an export and its conversion read alike.
        errors = _errors(kind.lenient_schema, resource.spec, ("spec",))
        base = resource.spec_pointer
    return [
        engine_finding(
            "FL002",
            message,
            file=resource.file,
            document=resource.document,
            pointer=base + pointer,
            at_value=at_value,
            kind=resource.kind,
            resource=resource.name,
        )
        for pointer, message, at_value in errors
    ]


def _with_spec(document_data: Any, spec: Any) -> Any:
    """The native document as it is read: with the resource's spec, which may spell values as
    the kind's service reads them (`faqlint.values`)."""
    if (
        isinstance(document_data, dict)
        and isinstance(document_data.get("spec"), dict)
        and document_data["spec"] is not spec
    ):
        return {**document_data, "spec": spec}
    return document_data


def _errors(
    schema: dict[str, Any], instance: Any, named_from: tuple[str, ...] = ()
) -> list[tuple[str, str, bool]]:
    import jsonschema  # only invalid documents pay for this import

    validator = jsonschema.Draft202012Validator(schema)
    found: dict[tuple[str, str], bool] = {}
    for error in validator.iter_errors(instance):
        for pointer, message, at_value in _explain(error, named_from):
            found.setdefault((pointer, message), at_value)
    return [(p, m, v) for (p, m), v in sorted(found.items())]


def _pointer(path: Any) -> str:
    return "".join(f"/{escape(str(p))}" for p in path)


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return ".".join(parts) if parts else "the document"


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    kinds = {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        list: "list",
        dict: "mapping",
        type(None): "null",
    }
    text = json.dumps(value, ensure_ascii=False, default=str)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"the {kinds.get(type(value), type(value).__name__)} {text}"


_TYPE_WORDS = {
    "boolean": "a boolean (true or false)",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


def _explain(error: Any, named_from: tuple[str, ...] = ()) -> Iterator[tuple[str, str, bool]]:
    keyword = error.validator
    path = list(error.absolute_path)
    where = _where([*named_from, *path])
    pointer = _pointer(path)
    if keyword == "additionalProperties":
        allowed = error.schema.get("properties", {})
        for key in sorted(set(error.instance) - set(allowed)):
            hint = suggest(key, allowed) or (
                f"; allowed keys: {', '.join(sorted(allowed))}" if len(allowed) <= 12 else ""
            )
            yield f"{pointer}/{escape(key)}", f"unknown key {key!r} in {where}{hint}", False
    elif keyword == "required":
        present = set(error.instance) if isinstance(error.instance, dict) else set()
        for key in error.validator_value:
            if key not in present:
                yield pointer, f"missing required key {key!r} in {where}", False
    elif keyword == "enum":
        options = ", ".join("null" if o is None else str(o) for o in error.validator_value)
        hint = suggest(
            str(error.instance), [str(o) for o in error.validator_value if o is not None]
        )
        yield (
            pointer,
            f"{where}: {_describe(error.instance)} is not allowed; use one of: {options}{hint}",
            True,
        )
    elif keyword == "const":
        yield (
            pointer,
            f"{where} must be {json.dumps(error.validator_value)}, not {_describe(error.instance)}",
            True,
        )
    elif keyword == "type":
        wanted = error.validator_value
        wanted = wanted if isinstance(wanted, list) else [wanted]
        words = " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        yield pointer, f"{where} must be {words}, not {_describe(error.instance)}", True
    elif keyword in {"anyOf", "oneOf"} and error.context:
        import jsonschema

        best = jsonschema.exceptions.best_match(error.context)
        yield from _explain(best, named_from)
    else:
        yield pointer, f"{where}: {error.message}", True
