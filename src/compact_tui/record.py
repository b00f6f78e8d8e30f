"""Records: the core's classes of plain data (the model, a finding, the registry), made without
:mod:`dataclasses`, which they stand in for.

Why: ``compact-tui log`` is run many times a day, and issue 23 holds its CPU to a small multiple
of ``python -c 'import sqlite3'``. Importing ``dataclasses`` (with ``inspect``, ``ast``, ``dis``,
``tokenize``) and making each class with it, which compiles the methods it writes out as source,
was the largest part of what ``log`` did before any work of its own; ``msgspec`` costs more to
import than ``dataclasses`` does, and attrs also writes its methods as source (the counts:
docs/performance.md, issue 23). So :func:`record` writes no code: each method is one of the
functions below, closed over the class and its fields.

A record behaves as ``@dataclass`` does (eq=True; no order, kw_only, slots or InitVar), down to
the words of its errors: ``content/model_json.py`` passes ``__init__``'s TypeError on to officers
and plugin authors. ``tests/core/test_record.py`` makes each class both ways and compares them.
Plugin authors may use ``dataclasses`` on the model's classes (``replace``, ``asdict``): each
record answers it, with ``__dataclass_fields__`` made by ``dataclasses`` itself when first asked.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr

TYPE_CHECKING = False  # typing's names for mypy only: importing typing would cost every command
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _T = TypeVar("_T")


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


#: A field without a default (or without a default factory).
MISSING: Any = _Missing()


class FrozenInstanceError(AttributeError):
    """A field of a frozen record assigned or deleted (as ``dataclasses.FrozenInstanceError``)."""


class Field:
    """One field of a record: its name, its annotation as written, its default or default factory."""

    __slots__ = ("name", "type", "default", "default_factory")

    def __init__(self, default: Any = MISSING, default_factory: Any = MISSING) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.type: Any = None
        self.default = default
        self.default_factory = default_factory

    def __repr__(self) -> str:
        return (f"Field(name={self.name!r},type={self.type!r},default={self.default!r},"
                f"default_factory={self.default_factory!r})")


def field(*, default: Any = MISSING, default_factory: Any = MISSING) -> Any:
    """A field's default, or the function that makes a fresh one for each record (a list, a dict)."""
    return Field(default, default_factory)


class _Spec:
    """What a record class keeps of itself (as ``__record__``): its fields, in order, and frozen."""

    __slots__ = ("fields", "frozen")

    def __init__(self, fields: tuple[Field, ...], frozen: bool) -> None:
        self.fields = fields
        self.frozen = frozen


def fields(class_or_instance: Any) -> tuple[Field, ...]:
    """The fields of a record class or instance, in order, its record bases' first."""
    try:
        spec: _Spec = class_or_instance.__record__
    except AttributeError:
        raise TypeError("must be called with a record type or instance") from None
    return spec.fields


def is_record(obj: Any) -> bool:
    """Whether ``obj`` is a record class or an instance of one."""
    return hasattr(obj if isinstance(obj, type) else type(obj), "__record__")


def replace(obj: _T, /, **changes: Any) -> _T:
    """A new record like ``obj`` with ``changes`` made (as ``dataclasses.replace``)."""
    if isinstance(obj, type) or not is_record(obj):
        raise TypeError("replace() should be called on record instances")
    for f in fields(obj):
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)


def field_values(obj: Any) -> dict[str, Any]:
    """Each field's name and value, in order, the values as they are (``dataclasses.asdict`` would
    also turn records, lists and dicts inside into new ones)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _record(cls: type | None = None, /, *, frozen: bool = False) -> Any:
    """``@record`` or ``@record(frozen=True)`` over a class with annotated fields, as ``@dataclass``."""
    def wrap(cls: type) -> type:
        return _make(cls, frozen)
    return wrap if cls is None else wrap(cls)


if TYPE_CHECKING:
    from typing import dataclass_transform, overload

    @overload
    def record(cls: type[_T], /) -> type[_T]: ...
    @overload
    def record(*, frozen: bool = False) -> Callable[[type[_T]], type[_T]]: ...
    @dataclass_transform(field_specifiers=(field, Field))
    def record(cls: type[_T] | None = None, /, *, frozen: bool = False) -> Any: ...
else:
    record = _record


def _make(cls: type, frozen: bool) -> type:
    found, frozen_base = _fields_of(cls)
    if frozen_base is not None and frozen_base != frozen:
        raise TypeError("cannot inherit non-frozen dataclass from a frozen one" if frozen_base
                        else "cannot inherit frozen dataclass from a non-frozen one")
    own = cls.__dict__
    explicit_hash = own.get("__hash__", MISSING)
    has_explicit_hash = not (explicit_hash is MISSING or (explicit_hash is None and "__eq__" in own))
    names = tuple(f.name for f in found)
    values = _getter(names)
    methods: dict[str, Any] = {"__init__": _make_init(cls, found, frozen),
                               "__repr__": _make_repr(names), "__eq__": _make_eq(values)}
    for name, method in methods.items():
        if name not in own:
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)
    if frozen:
        for name, method in _make_frozen(cls, names).items():
            if name in own:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)
    if not has_explicit_hash:
        cls.__hash__ = _make_hash(values) if frozen else None  # type: ignore[assignment,method-assign]
    if "__match_args__" not in own:
        setattr(cls, "__match_args__", names)
    if not cls.__doc__:
        cls.__doc__ = cls.__name__ + _signature(found)
    setattr(cls, "__record__", _Spec(found, frozen))
    setattr(cls, "__dataclass_fields__", _DataclassFields(found))
    return cls


def _fields_of(cls: type) -> tuple[tuple[Field, ...], bool | None]:
    """The fields, the record bases' first (a field declared again keeps its place), and whether the
    record bases are frozen (None: there are none)."""
    found: dict[str, Field] = {}
    frozen_base: bool | None = None
    for base in cls.__mro__[-1:0:-1]:
        spec: _Spec | None = getattr(base, "__record__", None)
        if spec is not None:
            found.update((f.name, f) for f in spec.fields)
            frozen_base = bool(frozen_base) or spec.frozen
    annotations = cls.__dict__.get("__annotations__", {})
    for name, annotation in annotations.items():
        if _is_classvar(annotation):
            continue
        default = getattr(cls, name, MISSING)
        made = default if isinstance(default, Field) else Field(default)
        made.name, made.type = name, annotation
        if isinstance(default, Field):
            if made.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, made.default)
        if made.default is not MISSING and type(made.default).__hash__ is None:
            raise ValueError(f"mutable default {type(made.default)} for field {name} is not allowed: "
                             "use default_factory")
        found[name] = made
    for name, value in cls.__dict__.items():
        if isinstance(value, Field) and name not in annotations:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    return tuple(found.values()), frozen_base


def _is_classvar(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return annotation.split("[")[0].strip() in ("ClassVar", "typing.ClassVar")
    typing = sys.modules.get("typing")  # a ClassVar object exists only once typing is imported
    if typing is None:
        return False
    return annotation is typing.ClassVar or getattr(annotation, "__origin__", None) is typing.ClassVar


def _has_default(f: Field) -> bool:
    return f.default is not MISSING or f.default_factory is not MISSING


def _make_init(cls: type, found: tuple[Field, ...], frozen: bool) -> Callable[..., None]:
    """The class's ``__init__``: positional and keyword arguments bound as a function written
    ``def __init__(self, a, b=...)`` would bind them, with the same TypeError if they do not fit."""
    names = tuple(f.name for f in found)
    defaulted = [f for f in found if _has_default(f)]
    for before, f in zip(found, found[1:]):
        if _has_default(before) and not _has_default(f):
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    required = names[: len(names) - len(defaulted)]
    known, needed = frozenset(names), frozenset(required)
    template = {f.name: f.default for f in found}  # each field in order, a default where it has one
    factories = tuple((f.name, f.default_factory) for f in found if f.default_factory is not MISSING)
    self_name = "__dataclass_self__" if "self" in known else "self"
    post_init = hasattr(cls, "__post_init__")
    qualname = f"{cls.__qualname__}.__init__"

    def bind(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """The arguments by name, or Python's TypeError, checked in the order Python checks them."""
        given = dict(zip(names, args))
        for key in kwargs:
            if key == self_name or (key in known and key in given):
                raise TypeError(f"{qualname}() got multiple values for argument '{key}'")
            if key not in known:
                raise TypeError(f"{qualname}() got an unexpected keyword argument '{key}'")
        if len(args) > len(names):
            raise TypeError(_too_many(qualname, len(names) + 1, len(defaulted), len(args) + 1))
        given.update(kwargs)
        missing = [repr(name) for name in required if name not in given]
        if missing:
            raise TypeError(_missing(qualname, missing))
        return given

    def __init__(self: Any, /, *args: Any, **kwargs: Any) -> None:
        if not args and kwargs.keys() <= known and needed <= kwargs.keys():
            given = kwargs  # the usual call, every field by name (the content cache's): no checks to make
        elif not kwargs and len(args) == len(names):
            given = dict(zip(names, args))
        else:
            given = bind(args, kwargs)
        values = template | given
        for name, factory in factories:
            if name not in given:
                values[name] = factory()
        if frozen:
            self.__dict__.update(values)
        else:
            for name, value in values.items():
                setattr(self, name, value)
        if post_init:
            self.__post_init__()
    return __init__


def _too_many(qualname: str, params: int, defaults: int, given: int) -> str:
    """CPython's words for too many positional arguments (``params`` and ``given`` count self)."""
    takes = f"from {params - defaults} to {params}" if defaults else str(params)
    plural = "s" if defaults or params != 1 else ""
    return f"{qualname}() takes {takes} positional argument{plural} but {given} were given"


def _missing(qualname: str, missing: list[str]) -> str:
    """CPython's words for required arguments not given (``missing``: their names' reprs)."""
    if len(missing) == 1:
        names = missing[0]
    elif len(missing) == 2:
        names = f"{missing[0]} and {missing[1]}"
    else:
        names = ", ".join(missing[:-2]) + f", {missing[-2]}, and {missing[-1]}"
    plural = "" if len(missing) == 1 else "s"
    return f"{qualname}() missing {len(missing)} required positional argument{plural}: {names}"


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields' values of a record, as a tuple (attrgetter gives a bare value for one name)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _make_eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented
    return __eq__


def _make_hash(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(values(self))
    return __hash__


def _make_repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        inside = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({inside})"
    return recursive_repr()(__repr__)


def _make_frozen(cls: type, names: tuple[str, ...]) -> dict[str, Callable[..., None]]:
    above: Any = cls  # for super(): mypy narrows ``cls`` after ``type(self) is cls``

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(above, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(above, self).__delattr__(name)
    return {"__setattr__": __setattr__, "__delattr__": __delattr__}


def _signature(found: tuple[Field, ...]) -> str:
    """The class's signature as ``inspect.signature`` writes it, for the docstring ``@dataclass``
    gives a class that has none."""
    def one(f: Field) -> str:
        kind = f.type
        written = repr(kind) if isinstance(kind, str) else (
            kind.__qualname__ if isinstance(kind, type) and kind.__module__ == "builtins"
            else f"{kind.__module__}.{kind.__qualname__}" if isinstance(kind, type)
            else repr(kind).replace("typing.", ""))
        default = "" if not _has_default(f) else (
            " = <factory>" if f.default is MISSING else f" = {f.default!r}")
        return f"{f.name}: {written}{default}"
    return "(" + ", ".join(one(f) for f in found) + ")"


class _DataclassFields:
    """A record's ``__dataclass_fields__``, made by ``dataclasses`` itself the first time anything
    asks (a plugin's ``dataclasses.replace``, pytest comparing two records), so that
    ``dataclasses``' functions work on records as on the classes they once were."""

    def __init__(self, found: tuple[Field, ...]) -> None:
        self.found = found
        self.made: dict[str, Any] | None = None

    def __get__(self, instance: Any, owner: type) -> dict[str, Any]:
        if self.made is None:
            import dataclasses

            namespace: dict[str, Any] = {"__annotations__": {f.name: f.type for f in self.found}}
            for f in self.found:
                if f.default is not MISSING:
                    namespace[f.name] = dataclasses.field(default=f.default)
                elif f.default_factory is not MISSING:
                    namespace[f.name] = dataclasses.field(default_factory=f.default_factory)
            shadow: type = dataclasses.dataclass(type(owner.__name__, (), namespace))
            self.made = getattr(shadow, "__dataclass_fields__")
        return self.made
