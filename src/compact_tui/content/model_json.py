"""The model as JSON, and back: what the content cache and the registry snapshot hold (see
:mod:`compact_tui.content.content_cache`). Reading JSON back can only ever build the model's own
records, each value checked against its field's type first, never run code."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Mapping

from ..record import fields, is_record

TYPE_CHECKING = False  # typing's names for mypy only: importing typing would cost every command
if TYPE_CHECKING:
    from typing import Any

    #: Checks a JSON value is of a type, and builds it.
    Decoder = Callable[[Any], Any]


def to_json(value: Any) -> Any:
    """Plain JSON for a tree of the model's records; TypeError for anything else."""
    if is_record(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return {k: to_json(v) for k, v in value.items()}
    if value is None or type(value) in (str, int, float, bool):
        return value
    raise TypeError(f"{type(value).__name__} cannot be cached")


def from_json(kind: Any, value: Any) -> Any:
    """Rebuild a value of type ``kind`` (a record class or a typing form) from :func:`to_json`'s
    output; ValueError if the JSON does not fit the type."""
    return _decoder(kind)(value)


_DECODERS: dict[Any, Decoder] = {}


def _decoder(kind: Any) -> Decoder:
    """A function that rebuilds ``kind`` from JSON, made once per type (start-up reads a few
    thousand objects, so the type is not worked out again for each)."""
    found = _DECODERS.get(kind)
    if found is None:
        _DECODERS[kind] = lambda value: _DECODERS[kind](value)  # a type that contains itself
        found = _DECODERS[kind] = _make_decoder(kind)
    return found


def _make_decoder(kind: Any) -> Decoder:
    """A function that checks a JSON value is a ``kind`` and builds it, for each shape of type the
    model uses (each in a builder of its own below). The forms are told apart as
    ``typing.get_origin`` would, without importing ``typing``: ``X | None`` is a
    ``types.UnionType``, ``list[X]``'s origin is ``list``; a form only ``typing`` makes
    (``Optional[X]``, ``Any``) can be met only once something has imported it."""
    origin = getattr(kind, "__origin__", None)
    if isinstance(kind, types.UnionType) or _typing_has(origin, "Union"):
        return _union_decoder(kind)
    if origin in (list, tuple):
        return _sequence_decoder(kind, list if origin is list else tuple)
    if origin in (dict, Mapping):  # a Mapping is read as the dict it was written from
        return _mapping_decoder(kind)
    if isinstance(kind, type) and is_record(kind):
        return _record_decoder(kind)
    if kind is _ANYTHING or _typing_has(kind, "Any"):
        return lambda value: value
    if kind is float:
        return _number
    if kind in (str, int, bool):
        return _plain_decoder(kind)
    raise TypeError(f"{kind} cannot be read from the cache")


def _union_decoder(kind: Any) -> Decoder:
    options = [_decoder(o) for o in kind.__args__ if o is not type(None)]
    nullable = type(None) in kind.__args__

    def union(value: Any) -> Any:
        if value is None and nullable:
            return None
        for option in options:
            try:
                return option(value)
            except ValueError:
                continue
        raise ValueError(f"{value!r} fits none of {kind}")
    return union


def _sequence_decoder(kind: Any, make: type) -> Decoder:
    item = _decoder(kind.__args__[0])

    def sequence(value: Any) -> Any:
        if type(value) is not list:
            raise ValueError(f"expected a list, not {type(value).__name__}")
        return make([item(v) for v in value])
    return sequence


def _mapping_decoder(kind: Any) -> Decoder:
    item = _decoder(kind.__args__[1])

    def mapping(value: Any) -> Any:
        if type(value) is not dict:
            raise ValueError(f"expected an object, not {type(value).__name__}")
        return {k: item(v) for k, v in value.items()}
    return mapping


#: What an annotation written ``Any`` is read as: any JSON value, as it is.
_ANYTHING = object()
_PLAIN: dict[str, Any] = {"str": str, "int": int, "bool": bool, "float": float, "Any": _ANYTHING}


def _typing_has(kind: Any, name: str) -> bool:
    """Whether ``kind`` is ``typing``'s ``name`` (``Union``, ``Any``): only if typing is imported."""
    typing = sys.modules.get("typing")
    return typing is not None and kind is getattr(typing, name)
_EVALUATED: dict[tuple[str, str], Any] = {}


def _field_types(kind: Any) -> dict[str, Any]:
    """Each annotated name's type, as ``typing.get_type_hints`` gives it, but each annotation's text
    evaluated once for all classes (get_type_hints compiles every one anew, for every class)."""
    types_: dict[str, Any] = {}
    for klass in reversed(kind.__mro__):
        module = vars(sys.modules[klass.__module__])
        for name, text in vars(klass).get("__annotations__", {}).items():
            if not isinstance(text, str):
                types_[name] = text
            elif text in _PLAIN:
                types_[name] = _PLAIN[text]
            else:
                key = (klass.__module__, text)
                if key not in _EVALUATED:
                    _EVALUATED[key] = eval(text, module)  # noqa: S307 - the text of our own annotations
                types_[name] = _EVALUATED[key]
    return types_


def _record_decoder(kind: Any) -> Decoder:
    hints = _field_types(kind)
    names = [f.name for f in fields(kind)]
    simple = tuple((n, hints[n]) for n in names if hints[n] in (str, int, bool))
    nested = tuple((n, _decoder(hints[n])) for n in names if hints[n] not in (str, int, bool))

    def record(value: Any) -> Any:
        if type(value) is not dict:
            raise ValueError(f"expected an object for {kind.__name__}")
        for name, expected in simple:
            if name in value and type(value[name]) is not expected:
                raise ValueError(f"{kind.__name__}.{name} should be {expected.__name__}")
        if nested:
            value = dict(value)  # the caller's JSON is left as it was (a snapshot's compact may be read twice)
        for name, decode in nested:
            if name in value:
                value[name] = decode(value[name])
        try:
            return kind(**value)
        except TypeError as exc:
            raise ValueError(f"{kind.__name__}: {exc}") from None
    return record


def _number(value: Any) -> float:
    if type(value) not in (int, float):
        raise ValueError(f"expected a number, not {type(value).__name__}")
    return float(value)


def _plain_decoder(kind: Any) -> Decoder:
    def plain(value: Any) -> Any:
        if type(value) is not kind:
            raise ValueError(f"expected {kind.__name__}, not {type(value).__name__}")
        return value
    return plain
