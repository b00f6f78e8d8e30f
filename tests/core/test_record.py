"""``compact_tui.record`` held to ``dataclasses``, from the attacker's side.

Each class is made twice, once with ``@dataclass`` and once with ``@record``, from the same
fields, and both are driven with the same argument lists, drawn from a seeded generator: too many
positionals, unknown, repeated and missing keywords, ``self``, defaults and factories,
inheritance, a ``__post_init__`` that raises. What each call gives must be the same: the instance
(its repr, its ``__dict__`` in order), or the exception's type and message to the letter (the
command line and the content cache pass ``__init__``'s TypeError on to officers). Then equality,
hashes, frozen assignment and deletion, and ``fields`` against ``dataclasses.fields``.
"""

from __future__ import annotations

import dataclasses
import json
import random
import subprocess
import sys
import textwrap
import typing
from typing import Any, ClassVar

import pytest

from compact_tui import record as rec
from compact_tui.content import model
from compact_tui.content.model_json import from_json

SEED_CLASSES = 300
CALLS_PER_CLASS = 25

#: Values a field may default to, or be given: equal ones that are not the same object, and a NaN
#: (a tuple compares it by identity first, a bare ``==`` would not).
NAN = float("nan")
VALUES: list[Any] = [0, 1, 1.0, "", "d", None, True, (), ("a",), NAN, (1, 2)]
UNHASHABLE: list[Any] = [[], {"k": 1}]


FACTORIES = [list, dict, set]
#: Annotations as a module with ``from __future__ import annotations`` writes them (text), and as
#: one without does (the objects); the ClassVars among them are not fields.
ANNOTATIONS: list[Any] = ["int", "list[str]", "Period | None", "typing.Optional[int]", int, list[int],
                          typing.Optional[int], random.Random]
CLASSVARS: list[Any] = ["ClassVar[int]", "typing.ClassVar[int]", " ClassVar", typing.ClassVar[int], typing.ClassVar]


def _eq(self: Any, other: Any) -> bool:
    return True


def _hash(self: Any) -> int:
    return 23


def _setattr(self: Any, name: str, value: Any) -> None:
    object.__setattr__(self, name, value)


#: Methods a class may write itself (a record keeps them, or refuses, as a dataclass does).
OWN_METHODS: list[dict[str, Any]] = [{}, {}, {}, {"__eq__": _eq}, {"__hash__": _hash}, {"__eq__": _eq, "__hash__": None},
                                     {"__eq__": _eq, "__hash__": _hash}, {"__hash__": None}, {"__match_args__": ("own",)},
                                     {"__setattr__": _setattr}, {"__doc__": None}]


def draw_fields(rng: random.Random, prefix: str) -> list[tuple[str, str, Any, Any]]:
    """A class's fields: (name, kind, value, annotation) with kind "required", "default",
    "field-default" or "factory"; the order is usually legal (defaults last), sometimes not."""
    count = rng.randrange(0, 6)
    names = rng.sample([f"{prefix}{i}" for i in range(8)] + ["self", "x", "unit"], count)
    out = []
    for name in names:
        kind = rng.choice(["required", "required", "default", "field-default", "factory"])
        value = (rng.choice(VALUES * 3 + UNHASHABLE[:1]) if kind.endswith("default") else
                 rng.choice(FACTORIES) if kind == "factory" else None)
        out.append((name, kind, value, rng.choice(ANNOTATIONS)))
    if rng.random() < 0.85:
        out.sort(key=lambda f: f[1] != "required")
    return out


def namespace(fields: list[tuple[str, str, Any, Any]], field_maker: Any, rng: random.Random,
              post_init: bool = False) -> dict[str, Any]:
    """A class body with these fields, a ClassVar somewhere among them, perhaps methods of its own
    (``rng`` is a copy, so both makers are given the same body)."""
    ns: dict[str, Any] = {"__annotations__": {}, "__qualname__": "Outer.Thing", "__module__": __name__}
    at = rng.randrange(0, len(fields) + 1)
    for i, (name, kind, value, annotation) in enumerate([*fields[:at], ("kept", "classvar", 7, None), *fields[at:]]):
        ns["__annotations__"][name] = rng.choice(CLASSVARS) if kind == "classvar" else annotation
        if kind in ("default", "classvar"):
            ns[name] = value
        elif kind == "field-default":
            ns[name] = field_maker(default=value)
        elif kind == "factory":
            ns[name] = field_maker(default_factory=value)
    if rng.random() < 0.25:
        ns.update(rng.choice(OWN_METHODS))
    if post_init:
        def __post_init__(self: Any) -> None:
            if any(v == 1 for v in vars(self).values() if isinstance(v, int)):
                raise ValueError(f"no ones in {type(self).__qualname__}")
        ns["__post_init__"] = __post_init__
    return ns


def outcome(make: Any) -> tuple[Any, ...]:
    """What calling ``make`` gives: the object's repr and ``__dict__``, or the exception."""
    try:
        made = make()
    except Exception as exc:  # noqa: BLE001 - the exception is what is compared
        return ("raised", type(exc).__name__, str(exc))
    return ("made", repr(made), repr(list(vars(made).items())) if hasattr(made, "__dict__") else None)


def both(rng: random.Random) -> tuple[Any, Any, list[tuple[str, str, Any, Any]], bool]:
    """The same class made with ``dataclass`` and with ``record`` (or the same error making it), a
    subclass of another such class one time in three, of a chain of two one time in ten."""
    frozen = rng.random() < 0.5
    base_frozen = frozen if rng.random() < 0.9 else not frozen
    post_init = rng.random() < 0.3
    chain = [draw_fields(rng, p) for p in ("a", "b")[: rng.choice([0, 0, 1, 1, 2])]]
    own = draw_fields(rng, "f")
    seed = rng.random()
    made = []
    for decorate, field_maker in ((dataclasses.dataclass, dataclasses.field), (rec.record, rec.field)):
        def make(decorate: Any = decorate, field_maker: Any = field_maker) -> Any:
            body = random.Random(seed)
            bases: tuple[type, ...] = ()
            for i, fields in enumerate(chain):
                base_ns = namespace(fields, field_maker, body)
                base_ns["__qualname__"] = f"Base{i}"
                bases = (decorate(frozen=base_frozen)(type(f"Base{i}", bases, base_ns)),)
            return decorate(frozen=frozen)(type("Thing", bases, namespace(own, field_maker, body, post_init)))
        made.append(make_or_error(make))
    fields = [f for base in chain for f in base] + own
    return made[0], made[1], fields, frozen


def make_or_error(make: Any) -> Any:
    try:
        return make()
    except Exception as exc:  # noqa: BLE001
        return ("raised", type(exc).__name__, str(exc))


def draw_call(rng: random.Random, names: list[str]) -> tuple[list[Any], dict[str, Any]]:
    positional = [rng.choice(VALUES + UNHASHABLE) for _ in range(rng.randrange(0, len(names) + 3))]
    keywords: dict[str, Any] = {}
    pool = names + ["nope", "self", "__dataclass_self__", "kept"]
    for name in rng.sample(pool, rng.randrange(0, min(len(pool), 5))):
        keywords[name] = rng.choice(VALUES + UNHASHABLE)
    if rng.random() < 0.3:  # the usual call: every required field, by keyword
        positional, keywords = [], {n: rng.choice(VALUES) for n in names if rng.random() < 0.8}
    return positional, keywords


def test_records_and_dataclasses_agree_on_every_call():
    rng = random.Random(23)
    made_both = 0
    for _ in range(SEED_CLASSES):
        dc, rc, fields, frozen = both(rng)
        if isinstance(dc, tuple) or isinstance(rc, tuple):
            assert dc == rc  # the same error making the class, word for word
            continue
        made_both += 1
        names = list(dict.fromkeys(f[0] for f in fields))
        assert [f.name for f in rec.fields(rc)] == [f.name for f in dataclasses.fields(dc)] == names
        assert described(rc, rec.fields(rc)) == described(dc, dataclasses.fields(dc)) == described(rc, dataclasses.fields(rc))
        assert rc.__doc__ == dc.__doc__ and rc.__match_args__ == dc.__match_args__
        assert {name: vars(rc).get(name, "absent") for name in ("__eq__", "__hash__", "__setattr__")}.keys() == \
            {name: vars(dc).get(name, "absent") for name in ("__eq__", "__hash__", "__setattr__")}.keys()
        assert (rc.__hash__ is None, rc.__hash__ is _hash, rc.__eq__ is _eq) == \
            (dc.__hash__ is None, dc.__hash__ is _hash, dc.__eq__ is _eq)
        assert rc.kept == dc.kept == 7
        made: list[tuple[Any, Any]] = []
        for _ in range(CALLS_PER_CLASS):
            args, kwargs = draw_call(rng, names)
            want = outcome(lambda: dc(*args, **kwargs))
            assert outcome(lambda: rc(*args, **kwargs)) == want, (names, args, kwargs)
            if want[0] == "made":
                made.append((dc(*args, **kwargs), rc(*args, **kwargs)))
        compare_instances(made, names, frozen, rng)
    assert made_both > SEED_CLASSES // 2


def compare_instances(made: list[tuple[Any, Any]], names: list[str], frozen: bool, rng: random.Random) -> None:
    for (d1, r1), (d2, r2) in zip(made, made[1:] + made[:1]):
        assert outcome(lambda: (r1 == r2, r1 != r2, r1 == r1)) == outcome(lambda: (d1 == d2, d1 != d2, d1 == d1))
        assert (r1 == (), r1.__eq__(object()), r1 == d1) == (d1 == (), d1.__eq__(object()), d1 == r1)
        if frozen:
            assert outcome(lambda: hash(r1)) == outcome(lambda: hash(d1))
            assert outcome(lambda: hash(r1) == hash(r2)) == outcome(lambda: hash(d1) == hash(d2))
        for name in [*names, "other", "kept"]:
            value = rng.choice(VALUES)
            assert outcome(lambda: setattr(r1, name, value)) == outcome(lambda: setattr(d1, name, value))
            assert outcome(lambda: delattr(r1, name)) == outcome(lambda: delattr(d1, name))
            assert repr(list(vars(r1).items())) == repr(list(vars(d1).items()))
        assert outcome(lambda: rec.replace(r1)) == outcome(lambda: dataclasses.replace(d1))
        assert outcome(lambda: dataclasses.replace(r1)) == outcome(lambda: dataclasses.replace(d1))
        assert outcome(lambda: dataclasses.asdict(r1)) == outcome(lambda: dataclasses.asdict(d1))


def described(cls: Any, fields: Any) -> list[tuple[Any, ...]]:
    """Each field as ``dataclasses.fields`` or ``record.fields`` gives it, and the class attribute
    of its name (a default stays one; a field() is replaced by its default, or removed)."""
    missing = (rec.MISSING, dataclasses.MISSING)
    return [(f.name, f.type, "none" if f.default in missing else f.default,
             "none" if f.default_factory in missing else f.default_factory,
             repr(vars(cls).get(f.name, "absent"))) for f in fields]


def test_a_factory_gives_each_record_its_own_object():
    @rec.record
    class Box:
        items: list[int] = rec.field(default_factory=list)

    one, two = Box(), Box()
    one.items.append(1)
    assert (one.items, two.items, Box([5]).items) == ([1], [], [5])


def test_a_subclass_that_is_no_record_may_set_what_is_not_a_field():
    for decorate in (dataclasses.dataclass, rec.record):
        @decorate(frozen=True)
        class Base:
            a: int

        class Plain(Base):
            pass

        plain = Plain(1)
        plain.extra = 2  # allowed: not a field, and not the record class itself
        with pytest.raises(AttributeError, match="cannot assign to field 'a'"):
            plain.a = 3  # type: ignore[misc]
        with pytest.raises(AttributeError, match="cannot assign to field 'extra'"):
            Base(1).extra = 2  # type: ignore[attr-defined]
        assert plain == Plain(1) and plain != Base(1) and repr(plain) == f"{Plain.__qualname__}(a=1)"


def test_the_models_errors_are_pythons_own_words():
    """The words officers and plugin authors see, through the content cache's reading."""
    cases = [
        ((("12",), {"unit": "w", "x": 1}), "Period.__init__() got an unexpected keyword argument 'x'"),
        (((12,), {}), "Period.__init__() missing 1 required positional argument: 'unit'"),
        (((), {}), "Period.__init__() missing 2 required positional arguments: 'amount' and 'unit'"),
        (((1, "d", 3), {}), "Period.__init__() takes 3 positional arguments but 4 were given"),
        (((1,), {"amount": 2}), "Period.__init__() got multiple values for argument 'amount'"),
    ]
    for (args, kwargs), words in cases:
        with pytest.raises(TypeError) as caught:
            model.Period(*args, **kwargs)
        assert str(caught.value) == words
    with pytest.raises(TypeError) as caught:
        model.Clause("1", "principle")  # type: ignore[call-arg]
    assert str(caught.value) == "Clause.__init__() missing 3 required positional arguments: 'party', 'theme', and 'text'"
    with pytest.raises(TypeError) as caught:
        model.Sides("a", "b", "c")  # type: ignore[call-arg]
    assert str(caught.value) == "Sides.__init__() takes from 1 to 3 positional arguments but 4 were given"
    with pytest.raises(ValueError) as read:
        from_json(model.Period, json.loads('{"amount": 3, "unit": "w", "units": "d"}'))
    assert str(read.value) == "Period: Period.__init__() got an unexpected keyword argument 'units'"


def test_the_model_answers_dataclasses_as_it_did():
    """A plugin may use ``dataclasses`` on the model's classes: each answers as the dataclass it was."""
    rule = model.NoticeRule("r1", "2.4", "consultation", "minimum-period", "Twelve weeks", period=model.Period(12, "w"))
    assert dataclasses.is_dataclass(rule) and dataclasses.is_dataclass(model.NoticeRule)
    assert [f.name for f in dataclasses.fields(rule)] == [f.name for f in rec.fields(rule)]
    assert dataclasses.replace(rule, severity="warning") == rec.replace(rule, severity="warning")
    assert dataclasses.asdict(rule)["period"] == {"amount": 12, "unit": "w"}
    compact = model.Compact(model.CompactInfo("x", "X", "Here", "adopted"))
    assert dataclasses.asdict(compact)["info"]["sides"] == {"statutory": "statutory organisations",
                                                             "vcs": "voluntary and community sector"}
    with pytest.raises(AttributeError) as caught:
        rule.ref = "2.5"  # type: ignore[misc]
    assert type(caught.value).__name__ == "FrozenInstanceError" and str(caught.value) == "cannot assign to field 'ref'"


def test_fields_as_written_with_the_bases_first():
    @rec.record(frozen=True)
    class Base:
        a: int
        b: str = "b"

    @rec.record(frozen=True)
    class Child(Base):
        c: list[int] = rec.field(default_factory=list)
        b: str = "again"
        n: ClassVar[int] = 3

    found = [(f.name, f.type, f.default, f.default_factory) for f in rec.fields(Child(1))]
    assert found == [("a", "int", rec.MISSING, rec.MISSING), ("b", "str", "again", rec.MISSING),
                     ("c", "list[int]", rec.MISSING, list)]
    assert rec.is_record(Child) and rec.is_record(Child(1)) and not rec.is_record(object())
    assert rec.field_values(Child(1, c=[2])) == {"a": 1, "b": "again", "c": [2]}
    with pytest.raises(TypeError, match="must be called with a record type or instance"):
        rec.fields(object)
    with pytest.raises(TypeError, match=r"replace\(\) should be called on record instances"):
        rec.replace(Child)
    with pytest.raises(ValueError, match="cannot specify both default and default_factory"):
        rec.field(default=1, default_factory=list)


def test_making_a_record_runs_no_compiled_code(tmp_path):
    """No exec, eval or compile: the audit events Python raises for them, counted while classes are
    made with ``record`` (none) and, to show the count can fail, with ``dataclass``."""
    script = textwrap.dedent("""
        import sys, dataclasses
        from compact_tui.record import record, field
        seen = []
        sys.addaudithook(lambda event, args: seen.append(event) if event in ("exec", "compile") else None)
        for label, decorate, make_field in (("record", record, field),
                                            ("dataclass", dataclasses.dataclass, dataclasses.field)):
            before = len(seen)
            for frozen in (False, True):
                cls = type("Thing", (), {"__annotations__": {"a": "int", "b": "list"}, "b": make_field(default_factory=list)})
                made = decorate(frozen=frozen)(cls)
                repr(made(1)); made(1) == made(2); made(a=1, b=[])
            print(label, len(seen) - before)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    counts = dict(line.split() for line in done.stdout.splitlines())
    assert counts["record"] == "0" and int(counts["dataclass"]) > 0


def test_logs_path_imports_no_dataclasses(tmp_path):
    """Every module ``log`` imports, and a registry read back from JSON: no ``dataclasses``,
    ``inspect`` or ``ast`` (the instructions they cost are why :mod:`compact_tui.record` exists)."""
    script = textwrap.dedent("""
        import sys
        import compact_tui.cli.case_cmd, compact_tui.caselog.case_log, compact_tui.content.installed
        from compact_tui.content.model_json import from_json, to_json
        from compact_tui.content.registry import Registry
        from compact_tui.content import model
        info = model.CompactInfo("x", "X", "Here", "adopted", parent=model.ParentLink("England"))
        rule = model.NoticeRule("r", "1", "note", "recurring", "T", period=model.Period(1, "m"))
        registry = Registry(compacts={"x": model.Compact(info, rules=[rule])})
        assert from_json(Registry, to_json(registry)) == registry
        print(sorted({"dataclasses", "inspect", "ast", "dis", "tokenize"} & set(sys.modules)))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_corners_a_class_body_can_reach():
    @rec.record
    class Empty:
        pass

    assert (Empty() == Empty(), repr(Empty()), Empty.__hash__, Empty.__doc__) == (True, f"{Empty.__qualname__}()", None, "Empty()")
    Empty().note = 1  # not frozen: @record with no arguments

    @rec.record(frozen=True)
    class Frozen:
        a: int = 1

    @rec.record
    class Loose:
        b: int = 2

    class Both(Loose, Frozen):  # a frozen base anywhere in the line makes a frozen record possible
        pass

    assert rec.record(frozen=True)(Both)(3, 4) == Both(3, 4)
    for made, words in ((lambda: rec.record(type("Bare", (), {"x": rec.field(default=1)})),
                         "'x' is a field but has no type annotation"),
                        (lambda: rec.fields(Loose(1).b), "must be called with a record type or instance"),
                        (lambda: rec.replace(Loose), "replace() should be called on record instances"),
                        (lambda: rec.field(default=1, default_factory=list), "cannot specify both default and default_factory")):
        assert outcome(made)[2] == words
    assert repr(rec.Field(1)) == "Field(name='',type=None,default=1,default_factory=MISSING)"


def test_a_plain_subclass_deletes_what_is_its_own():
    for decorate in (dataclasses.dataclass, rec.record):
        @decorate(frozen=True)
        class Base:
            a: int

        class Plain(Base):
            pass

        plain = Plain(1)
        plain.extra = 2
        del plain.extra
        assert outcome(lambda: delattr(plain, "a")) == ("raised", "FrozenInstanceError", "cannot delete field 'a'")
        assert outcome(lambda: delattr(plain, "extra")) == ("raised", "AttributeError", "'Plain' object has no attribute 'extra'")
