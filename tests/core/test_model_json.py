"""``content/model_json.py``'s reader, from the attacker's side: every value is checked against
its field's type before any record is built, a value that does not fit is refused with the same
words each time (the first misfit in the order the fields are declared, simple fields before
records and lists), and reading never changes the JSON it is given (a snapshot's compact may be
read twice: its info alone, then all of it)."""

from __future__ import annotations

import copy
import json

import pytest

from compact_tui.content import model
from compact_tui.content.model_json import from_json, to_json
from compact_tui.content.plugins import load_registry
from compact_tui.content.registry import PluginError, Registry

INFO = {"id": "a", "name": "A", "area": "X", "status": "adopted"}

#: (type, JSON, the ValueError's words): each kind of misfit the reader refuses.
REFUSED = [
    (model.Period, [], "expected an object for Period"),
    (model.Period, None, "expected an object for Period"),
    (model.Period, "3w", "expected an object for Period"),
    (model.Period, {"amount": "3", "unit": "w"}, "Period.amount should be int"),
    (model.Period, {"amount": True, "unit": "w"}, "Period.amount should be int"),  # a bool is not an int here
    (model.Period, {"amount": 3.0, "unit": "w"}, "Period.amount should be int"),
    (model.Period, {"amount": 3, "unit": None}, "Period.unit should be str"),
    (model.Period, {"amount": "3", "unit": None}, "Period.amount should be int"),  # the first field first
    (model.Period, {"amount": 3, "unit": "w", "units": "d"},
     "Period: Period.__init__() got an unexpected keyword argument 'units'"),
    (model.Period, {"amount": 3}, "Period: Period.__init__() missing 1 required positional argument: 'unit'"),
    (model.Period, {"amount": 3, "unit": "w", "self": 1},
     "Period: Period.__init__() got multiple values for argument 'self'"),
    (model.Period, {"amount": 3, "unit": "w", 1: 2}, "Period: keywords must be strings"),
    (model.Period, {"amount": 3, "unit": "w", "__class__": "os.system"},
     "Period: Period.__init__() got an unexpected keyword argument '__class__'"),
    (model.NoticeRule, {"id": "r", "ref": "1", "applies_to": "x", "type": "t", "title": "T", "in_writing": 1},
     "NoticeRule.in_writing should be bool"),
    (model.Stage, {"id": "a", "title": "A", "wait": "3w"},
     "'3w' fits none of compact_tui.content.model.Period | None"),
    (model.Stage, {"id": "a", "title": "A", "wait": {"amount": "3", "unit": "w"}},
     "{'amount': '3', 'unit': 'w'} fits none of compact_tui.content.model.Period | None"),
    (model.Stage, {"id": 1, "title": "A", "wait": "3w"}, "Stage.id should be str"),  # simple fields first
    (model.CompactInfo, {**INFO, "localities": "Essex"}, "expected a list, not str"),
    (model.CompactInfo, {**INFO, "localities": [1]}, "expected str, not int"),
    (model.CompactInfo, {**INFO, "localities": [1], "sides": None}, "expected str, not int"),  # declared first
    (model.CompactInfo, {**INFO, "sides": None}, "expected an object for Sides"),
    (model.CompactInfo, {**INFO, "sides": model.Sides()}, "expected an object for Sides"),  # JSON only
    (model.CompactInfo, {**INFO, "parent": []},
     "[] fits none of compact_tui.content.model.ParentLink | None"),
    (model.CompactInfo, {**INFO, "parent": {"area": 1}},
     "{'area': 1} fits none of compact_tui.content.model.ParentLink | None"),
    (model.Compact, {"info": {"id": 1}}, "CompactInfo.id should be str"),
    (model.Compact, {"info": INFO, "rules": [{"id": "r"}]},
     "NoticeRule: NoticeRule.__init__() missing 4 required positional arguments: 'ref', 'applies_to', 'type', "
     "and 'title'"),
    (model.Compact, {"info": INFO, "clauses": {"1": {}}}, "expected a list, not dict"),
    (model.Compact, {"info": INFO, "procedure": {"start": "a", "stages": [{"id": "a", "title": "A", "wait": 3}]}},
     "{'start': 'a', 'stages': [{'id': 'a', 'title': 'A', 'wait': 3}]} fits none of "
     "compact_tui.content.model.DisputeProcedure | None"),
    (Registry, {"compacts": []}, "expected an object, not list"),
    (Registry, {"compacts": {"a": 1}}, "expected an object for Compact"),
    (Registry, {"imported": "x"}, "'x' fits none of list[str] | None"),
    (Registry, {"errors": [{"plugin": "p"}]},
     "PluginError: PluginError.__init__() missing 1 required positional argument: 'reason'"),
    (PluginError, {"plugin": "p", "reason": "r", "problems": [None]}, "expected str, not NoneType"),
    (PluginError, {"plugin": "p", "reason": "r", "problems": "ab"}, "expected a list, not str"),
]


@pytest.mark.parametrize("kind, value, words", REFUSED, ids=[f"{i}-{k.__name__}" for i, (k, _, _) in
                                                            enumerate(REFUSED)])
def test_a_value_that_does_not_fit_is_refused_in_the_same_words(kind, value, words):
    before = copy.deepcopy(value)
    with pytest.raises(ValueError) as refused:
        from_json(kind, value)
    assert str(refused.value) == words
    assert value == before  # nothing changed, even half-way


def test_what_fits_is_built_each_value_of_its_own_type():
    period = from_json(model.Period, {"amount": 3, "unit": "w"})
    assert period == model.Period(3, "w") and type(period.amount) is int
    info = from_json(model.CompactInfo, {**INFO, "localities": ["Leigh"], "parent": {"area": "Essex"}})
    assert info == model.CompactInfo("a", "A", "X", "adopted", localities=("Leigh",), parent=model.ParentLink("Essex"))
    assert type(info.localities) is tuple and type(info.sides) is model.Sides
    problems = from_json(PluginError, {"plugin": "p", "reason": "r", "problems": ["x"]}).problems
    assert problems == ("x",)
    assert from_json(Registry, {"imported": None}).imported is None


def test_every_installed_compact_reads_back_as_it_was_and_its_json_is_left_as_it_was():
    registry = load_registry()
    assert sorted(registry.compacts) == ["essex", "havering", "high_peak", "southampton", "southend"]
    written = to_json(registry)
    kept = json.dumps(written, sort_keys=True)
    assert from_json(Registry, written) == registry
    for compact_id, compact in registry.compacts.items():
        saved = written["compacts"][compact_id]
        assert from_json(model.CompactInfo, saved["info"]) == compact.info
        assert from_json(model.Compact, saved) == compact  # the same JSON, read again after its info
    assert json.dumps(written, sort_keys=True) == kept


def test_a_type_it_cannot_read_is_a_type_error():
    with pytest.raises(TypeError) as refused:
        from_json(set, [])
    assert str(refused.value) == "<class 'set'> cannot be read from the cache"
