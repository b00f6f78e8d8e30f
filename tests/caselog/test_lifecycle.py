"""One lifecycle for every case (issue 18): what each status allows, a withdrawn case that
stays out of the record until it is reinstated with a reason, and a change made on a view of
a case that has moved since, refused with a sentence saying who changed what."""

from __future__ import annotations

from datetime import date

import pytest

from compact_tui.caselog import lifecycle
from compact_tui.caselog.audit import verify
from compact_tui.caselog.case_log import CaseFilter, CaseLog, StaleCase
from compact_tui.cli import main
from compact_tui.due.deadlines import deadlines
from compact_tui.errors import UserError
from compact_tui.report import annual_report

from .caselog_helpers import new


def ok(store) -> None:
    result = verify(store.db)
    assert result.ok, result.problems


def run(db_path, capsys, *args) -> tuple[int, str, str]:
    code = main(["--db", str(db_path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


# -- what each state allows -----------------------------------------------------------------

def row(kind="consultation", status="open", stage=None):
    return {"id": 4, "kind": kind, "status": status, "stage": stage, "compact": "essex"}


def test_what_each_state_allows(registry):
    essex, havering = registry.get("essex"), registry.get("havering")
    assert lifecycle.allowed(row(), essex) == ["update", "note", "close", "withdraw", "assign", "attach"]
    assert lifecycle.allowed(row(status="closed"), essex) == ["update", "note", "reopen", "withdraw", "assign",
                                                              "attach"]
    assert lifecycle.allowed(row(status="withdrawn"), essex) == ["note", "reinstate", "assign", "attach"]
    assert lifecycle.allowed(row("dispute", stage="full-information"), essex) == [
        "update", "note", "advance", "withdraw", "assign", "attach"]  # it closes by reaching an outcome
    assert lifecycle.allowed(row("dispute", "closed", "resolved"), essex) == [
        "update", "note", "reopen", "withdraw", "assign", "attach"]
    assert lifecycle.allowed(row("dispute"), havering) == [  # no procedure to walk: closed by hand
        "update", "note", "close", "withdraw", "assign", "attach"]
    assert lifecycle.allowed(row(status="\x1b[2J"), essex) == ["note", "assign", "attach"]


def test_each_refusal_is_one_sentence(registry):
    essex = registry.get("essex")
    assert lifecycle.refusal("advance", row("dispute", "withdrawn", "raise-with-organisation"), essex) == (
        "case 4 was withdrawn; it cannot be moved (its timeline stays as it is; 'compact-tui reinstate 4 "
        "--reason ...' brings it back).")
    assert lifecycle.refusal("withdraw", row(status="withdrawn"), essex) == "case 4 is already withdrawn."
    assert lifecycle.refusal("reinstate", row(), essex) == "case 4 is not withdrawn, so there is nothing to reinstate."
    assert lifecycle.refusal("advance", row("dispute", "closed", "resolved"), essex) == (
        "the dispute has ended at 'Resolved' (resolved); it cannot move on.")
    assert lifecycle.refusal("advance", row(), essex) == (
        "case 4 is a consultation, not a dispute; only disputes have stages.")
    assert lifecycle.refusal("close", row("dispute", stage="full-information"), essex) == (
        "case 4 is a dispute: it closes when it reaches an outcome ('compact-tui advance 4 STAGE').")


def test_the_state_a_new_case_starts_in(registry):
    essex, southend = registry.get("essex"), registry.get("southend")
    assert lifecycle.first_state("dispute", essex, opened="2026-01-05") == {
        "status": "open", "stage": "full-information", "stage_since": "2026-01-05", "outcome": None}
    assert lifecycle.first_state("dispute", southend, stage="resolved-by-mediation", opened="2026-01-05",
                                 stage_since="2026-03-01") == {
        "status": "closed", "stage": "resolved-by-mediation", "stage_since": "2026-03-01", "outcome": "resolved"}
    assert lifecycle.first_state("meeting", essex, status="closed") == {
        "status": "closed", "stage": None, "stage_since": None, "outcome": None}
    for kwargs, said in (
            ({"kind": "dispute", "status": "withdrawn"}, "the status 'withdrawn' is not open or closed."),
            ({"kind": "dispute", "status": "open", "stage": "resolved"},
             "a dispute is closed when, and only when, its stage is an outcome (stage 'resolved', status 'open')."),
            ({"kind": "meeting", "stage": "resolved"}, "only a dispute has a stage, not a meeting."),
            ({"kind": "dispute", "stage": "nowhere"}, "'nowhere' is not a stage of Essex Compact's procedure.")):
        kind = kwargs.pop("kind")
        with pytest.raises(ValueError) as err:
            lifecycle.first_state(kind, essex, **kwargs)
        assert str(err.value) == said


# -- finding 1: a withdrawn dispute moved back into the record --------------------------------

def test_a_withdrawn_dispute_cannot_be_moved_back_into_the_record(db_path, capsys, registry, monkeypatch):
    """The issue's journey, from the officer's side: each refusal is a sentence, and the case
    stays out of the list, what is due and the annual report, until it is reinstated."""
    monkeypatch.setenv("LOGNAME", "jo")
    assert run(db_path, capsys, "log", "dispute", "--compact", "essex", "--title", "Grant dispute",
               "--opened", "2026-01-05")[0] == 0
    assert run(db_path, capsys, "withdraw", "1", "--reason", "logged under the wrong compact")[0] == 0
    code, out, err = run(db_path, capsys, "advance", "1", "raise-with-organisation", "--confirm", "full-information")
    assert (code, out, err) == (1, "", "compact-tui: case 1 was withdrawn; it cannot be moved (its timeline stays "
                                       "as it is; 'compact-tui reinstate 1 --reason ...' brings it back).\n")
    code, out, err = run(db_path, capsys, "advance", "1", "resolved")
    assert code == 1 and "was withdrawn; it cannot be moved" in err
    assert run(db_path, capsys, "cases")[1] == "No cases match.\n"
    code, out, _ = run(db_path, capsys, "report", "annual", "--compact", "essex", "--year", "2026", "--format", "json")
    assert '"dispute": 0' in out or '"dispute"' not in out
    code, out, _ = run(db_path, capsys, "case", "1")
    assert "Moves allowed now" not in out and "; withdrawn" in out
    assert run(db_path, capsys, "audit", "verify")[0] == 0

    code, out, err = run(db_path, capsys, "reinstate", "1", "--reason", "")
    assert code == 1 and err == "compact-tui: the reason is empty.\n"
    assert run(db_path, capsys, "reinstate", "1", "--reason", "it was Essex after all") == (
        0, "Case 1 reinstated; it is open again.\n", "")
    assert run(db_path, capsys, "reinstate", "1", "--reason", "again")[2] == \
        "compact-tui: case 1 is not withdrawn, so there is nothing to reinstate.\n"
    assert run(db_path, capsys, "advance", "1", "raise-with-organisation", "--confirm", "full-information")[0] == 0
    code, out, _ = run(db_path, capsys, "case", "1")
    assert "reinstated by jo: status withdrawn → open · it was Essex after all" in out
    assert run(db_path, capsys, "audit", "verify")[0] == 0


def test_a_case_comes_back_with_the_status_it_was_withdrawn_from(log, store, registry):
    meeting = log.log(new("meeting", "essex", "Forum", on="2026-02-01"))["id"]  # a record: closed at once
    grant = log.log(new("funding-change", "southampton", "Grant cut", notified="2026-11-01",
                        effective="2026-12-01"))["id"]
    log.withdraw(meeting, "a duplicate")
    log.withdraw(grant, "wrong compact")
    assert log.count() == 0
    assert log.reinstate(meeting, "not a duplicate")["status"] == "closed"
    back = log.reinstate(grant, "right compact after all")
    assert (back["status"], back["due"], back["due_what"]) == ("open", "2026-12-01", "funding change takes effect")
    assert [d.case_id for d in deadlines(store, registry, today=date(2026, 11, 20)) if d.case_id] == [grant]
    assert annual_report(store, registry, "essex", 2026)["cases_by_kind"]["meeting"] == 1
    assert sorted(r["id"] for r in log.list()) == [meeting, grant]
    event = log.get(grant)["events"][-1]
    assert (event["action"], event["note"], event["detail"]["was"]) == (
        "reinstated", "right compact after all", {"status": "withdrawn"})
    ok(store)


# -- finding 2: two officers changing one case at once ---------------------------------------

def test_a_move_on_a_view_that_has_moved_is_refused_naming_who_moved_it(store, registry):
    alice, bob = CaseLog(store, registry, actor="alice"), CaseLog(store, registry, actor="bob")
    case_id = alice.log(new("dispute", "southend", "Hall lease"))["id"]
    bob_saw = bob.get(case_id)["seen"]  # bob's screen: at 'between-parties'
    alice.advance(case_id, "mediation", confirm=["resolution-not-possible", "mediator-mutually-agreed"])
    at = alice.get(case_id)["events"][-1]["at"].replace("T", " ")[:16]
    with pytest.raises(StaleCase) as err:
        bob.advance(case_id, "resolved-between-parties", seen=bob_saw, on_screen=True)
    assert str(err.value) == (
        f"case {case_id} changed after you looked at it: alice moved it (from 'Resolve between the parties' to "
        f"'Mediation through a mutually agreed mediator'; confirmed mediator-mutually-agreed, "
        f"resolution-not-possible) at {at} UTC; nothing was changed, and it is shown as "
        f"it is now.")
    for change in (lambda: bob.close(case_id, seen=bob_saw), lambda: bob.withdraw(case_id, "x", seen=bob_saw),
                   lambda: bob.update(case_id, title="New", seen=bob_saw)):
        with pytest.raises(StaleCase, match="'compact-tui case 1' shows it as it is now"):
            change()
    case = bob.get(case_id)
    assert (case["stage"], [e["action"] for e in case["events"]]) == ("mediation", ["logged", "advanced"])
    bob.note(case_id, "a note is no move", )  # a note or a new owner does not make a view stale
    assert bob.advance(case_id, "resolved-by-mediation", seen=case["seen"])["outcome"] == "resolved"
    ok(store)


def test_each_change_records_the_state_it_left(log, store):
    case_id = log.log(new("dispute", "southend", "Hall lease"))["id"]
    log.advance(case_id, "mediation", confirm=["resolution-not-possible", "mediator-mutually-agreed"], on=date(2026, 3, 2))
    moved = log.get(case_id)["events"][-1]["detail"]
    assert (moved["from"], moved["was"]) == ("between-parties", {
        "status": "open", "stage": "between-parties", "stage_since": log.get(case_id)["opened"], "outcome": None})
    log.withdraw(case_id, "duplicate")
    assert log.get(case_id)["events"][-1]["detail"]["was"] == {"status": "open", "stage": "mediation"}


def test_update_works_out_the_due_date_and_findings_from_the_dates_in_the_transaction(store, registry):
    """Two officers change one funding change: the second's findings are worked out from the
    first's notice date, read inside its own transaction, not from what its screen showed."""
    alice, bob = CaseLog(store, registry, actor="alice"), CaseLog(store, registry, actor="bob")
    case_id = alice.log(new("funding-change", "southampton", "Grant cut", notified="2026-11-01",
                            effective="2027-03-01"))["id"]
    bob_saw = bob.get(case_id)
    assert bob_saw["findings"] == []  # four months' notice of a change: none owed
    alice.update(case_id, dates={"notified": date(2027, 2, 15)})  # notice given later than recorded
    after = bob.update(case_id, dates={"effective": date(2027, 4, 1)}, seen=bob_saw["seen"])
    assert (after["notified"], after["effective"]) == ("2027-02-15", "2027-04-01")
    assert [f["ref"] for f in after["findings"]] == ["4.5"]  # 6 weeks' notice where 3 months are owed
    assert after["events"][-1]["detail"]["was"] == {"effective": "2027-03-01"}
    ok(store)


def test_a_stale_view_is_only_a_change_to_the_case_state(store, registry):
    """A colleague's note, file or new owner does not stop a change; their change of the case's
    details does not either (each field the change sets is its own)."""
    alice, bob = CaseLog(store, registry, actor="alice"), CaseLog(store, registry, actor="bob")
    case_id = alice.log(new("consultation", "essex", "Library hours", start="2026-01-05", end="2026-04-05"))["id"]
    seen = bob.get(case_id)["seen"]
    alice.note(case_id, "phoned")
    alice.set_owner(case_id, "carol")
    alice.update(case_id, title="Library opening hours")
    assert bob.close(case_id, outcome="Extended", seen=seen)["status"] == "closed"
    ok(store)


def test_a_case_moved_to_another_compact_since_it_was_seen_is_a_stale_view(store, registry):
    """Moving a case to another compact changes which rules and procedure it answers to: a change
    asked on a view from before the move is refused, saying who moved it, and writes nothing."""
    alice, bob = CaseLog(store, registry, actor="alice"), CaseLog(store, registry, actor="bob")
    case_id = alice.log(new("consultation", "essex", "Library hours", start="2026-01-05", end="2026-04-05"))["id"]
    seen = bob.get(case_id)["seen"]
    alice.update(case_id, compact="southampton")
    at = store.one("SELECT at FROM events ORDER BY id DESC LIMIT 1")["at"].replace("T", " ")[:16]
    before = bob.get(case_id)
    with pytest.raises(StaleCase) as err:
        bob.close(case_id, outcome="Extended", seen=seen)
    assert str(err.value) == (f"case 1 changed after you looked at it: alice changed it (compact essex → "
                              f"southampton) at {at} UTC; nothing was changed, and 'compact-tui case 1' shows it "
                              f"as it is now.")
    assert bob.get(case_id) == before
    ok(store)


def test_no_case_and_a_refusal_write_nothing(log, store):
    with pytest.raises(UserError, match="^there is no case 9.$"):
        log.advance(9, "mediation")
    with pytest.raises(UserError, match="^there is no case 9.$"):
        log.note(9, "hello")
    assert store.one("SELECT count(*) AS n FROM events")["n"] == 0
    assert log.list(CaseFilter(status="withdrawn")) == []


# -- audit verify replays the story ------------------------------------------------------------

def forge(store, case_id: int, action: str, detail: dict, columns: dict | None = None) -> None:
    """Write an event (and the rows it implies) as an older release, or someone with the team's
    key, could have: on the chain, sealed with the key, so only the story is wrong."""
    from compact_tui.caselog.audit import append_event

    with store.write() as db:
        if columns:
            db.execute(f"UPDATE cases SET {', '.join(f'{k} = ?' for k in columns)} WHERE id = ?",
                       [*columns.values(), case_id])
        append_event(db, case_id, action, detail, actor="mallory", happened_on="2026-03-01")


def story(store, registry) -> list[str]:
    result = verify(store.db, registry=registry)
    return result.problems


def test_verify_names_a_withdrawn_dispute_moved_back_into_the_record(log, store, registry):
    case_id = log.log(new("dispute", "essex", "Grant dispute", opened="2026-01-05"))["id"]
    log.withdraw(case_id, "wrong compact")
    assert story(store, registry) == []
    moved = {"stage": "raise-with-organisation", "stage_since": "2026-03-01", "due": None, "due_what": None}
    forge(store, case_id, "advanced", {"set": moved, "from": "full-information", "confirmed": ["full-information"],
                                       "team": []}, moved)
    forge(store, case_id, "advanced", {"set": {"stage": "resolved", "status": "closed", "outcome": "resolved"},
                                       "from": "raise-with-organisation", "confirmed": [], "team": []},
          {"stage": "resolved", "status": "closed", "outcome": "resolved"})
    assert story(store, registry) == [
        "case 1, event 3 (advanced): the case was withdrawn, and a withdrawn case cannot be moved",
        "case 1, event 4 (advanced): the case was withdrawn, and a withdrawn case cannot be moved"]


def test_verify_names_a_move_from_a_stage_the_dispute_had_left(log, store, registry, db_path, capsys):
    """Finding 2 as it was written before the fix: two moves from 'between-parties'."""
    case_id = log.log(new("dispute", "southend", "Hall lease"))["id"]
    log.advance(case_id, "mediation", confirm=["resolution-not-possible", "mediator-mutually-agreed"])
    done = {"stage": "resolved-between-parties", "status": "closed", "outcome": "resolved"}
    forge(store, case_id, "advanced", {"set": done, "from": "between-parties", "confirmed": [], "team": []}, done)
    assert story(store, registry) == [
        "case 1, event 3 (advanced): it moves the dispute from 'between-parties', but its events had left it at "
        "'mediation'"]
    code, out, _ = run(db_path, capsys, "audit", "verify")
    assert (code, out) == (1, "1 problem found:\n  - case 1, event 3 (advanced): it moves the dispute from "
                              "'between-parties', but its events had left it at 'mediation'\n")


@pytest.mark.parametrize("action, detail, columns, why", [
    ("advanced", {"set": {"stage": "resolved", "status": "closed", "outcome": "resolved"},
                  "from": "full-information", "confirmed": [], "team": []},
     {"stage": "resolved", "status": "closed", "outcome": "resolved"},
     "Essex Compact's procedure does not allow a move from 'full-information' to 'resolved' (allowed now: "
     "raise-with-organisation)"),
    ("advanced", {"set": {"stage": "raise-with-organisation"}, "from": "full-information", "confirmed": [],
                  "team": []}, {"stage": "raise-with-organisation"},
     "not yet confirmed (MS.complainant.1): Has the complainant made sure they have full information and are "
     "confident of their ground? [condition full-information]"),
    ("closed", {"set": {"status": "closed", "outcome": "done"}}, {"status": "closed", "outcome": "done"},
     "case 1 is a dispute: it closes when it reaches an outcome ('compact-tui advance 1 STAGE')"),
    ("reopened", {"set": {"status": "open"}}, {}, "case 1 is not closed, so there is nothing to reopen"),
    ("changed", {"set": {"title": "New"}, "was": {"title": "Old title"}}, {"title": "New"},
     "it records title 'Old title' before it, but its events had left title 'Grant dispute'"),
    ("withdrawn", {"set": {"status": "closed"}, "reason": "x"}, {"status": "closed"},
     "it leaves the case 'closed', where a withdrawn event leaves it 'withdrawn'"),
])
def test_verify_names_each_change_the_lifecycle_could_not_have_made(log, store, registry, action, detail,
                                                                     columns, why):
    case_id = log.log(new("dispute", "essex", "Grant dispute"))["id"]
    forge(store, case_id, action, detail, columns)
    problems = story(store, registry)
    assert len(problems) == 1 and problems[0].startswith(f"case 1, event 2 ({action}): "), problems
    assert problems[0] == f"case 1, event 2 ({action}): {why}"


def test_verify_names_a_case_logged_in_a_state_no_case_starts_in(log, store, registry):
    from compact_tui.caselog.audit import append_event

    case_id = log.log(new("dispute", "essex", "Grant dispute"))["id"]
    with store.write() as db:  # a second 'logged' event, and a new case logged closed at a first stage
        append_event(db, case_id, "logged", {"set": {"status": "open"}}, actor="mallory", happened_on="2026-03-01")
    other = log.log(new("dispute", "essex", "Other"))["id"]
    with store.write() as db:
        db.execute("DELETE FROM events WHERE case_id = ?", [other])
    assert any("a case logged a second time" in p for p in story(store, registry))



# -- finding 6, the points outside import --------------------------------------------------------

def test_an_empty_on_date_is_a_mistake_not_today(db_path, capsys):
    assert run(db_path, capsys, "log", "dispute", "--compact", "essex", "--title", "t")[0] == 0
    said = ("compact-tui: --on is empty: give the day it happened (e.g. 2026-03-02, or today), or leave --on out "
            "for today.\n")
    assert run(db_path, capsys, "note", "1", "phoned", "--on", "") == (1, "", said)
    assert run(db_path, capsys, "advance", "1", "raise-with-organisation", "--confirm", "full-information",
               "--on", " ") == (1, "", said)
    code, out, _ = run(db_path, capsys, "case", "1", "--json")
    import json

    assert [e["action"] for e in json.loads(out)["events"]] == ["logged"]


def test_getting_an_attachment_back_never_overwrites_a_file_unless_told(db_path, capsys, tmp_path):
    letter, kept = tmp_path / "letter.txt", tmp_path / "mine.txt"
    letter.write_text("the council's letter\n")
    kept.write_text("an officer's own notes\n")
    assert run(db_path, capsys, "log", "dispute", "--compact", "essex", "--title", "t")[0] == 0
    assert run(db_path, capsys, "attach", "1", str(letter))[0] == 0
    assert run(db_path, capsys, "attachment", "1", "1", "-o", str(kept)) == (
        1, "", f"compact-tui: {kept} exists already; nothing was written. Give another -o, or --force to replace "
               f"it.\n")
    assert kept.read_text() == "an officer's own notes\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("mine")) == ["mine.txt"]
    assert run(db_path, capsys, "attachment", "1", "1", "-o", str(kept), "--force")[0] == 0
    assert kept.read_text() == "the council's letter\n"
    fresh = tmp_path / "fresh.txt"
    assert run(db_path, capsys, "attachment", "1", "1", "-o", str(fresh))[0] == 0
    assert fresh.read_text() == "the council's letter\n" and oct(fresh.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("mode, warned", [(0o600, ""), (0o640, ""), (0o660, "everyone in its group can change it"),
                                         (0o644, "anyone on this machine can read it"),
                                         (0o666, "anyone on this machine can change it")])
def test_a_team_key_file_others_can_change_is_warned_about(db_path, capsys, tmp_path, monkeypatch, mode, warned):
    from compact_tui.caselog.chain_key import KEY_ENV

    key = tmp_path / "team.key"
    key.write_text(open(__import__("os").environ[KEY_ENV]).read())
    key.chmod(mode)
    monkeypatch.setenv(KEY_ENV, str(key))
    code, out, err = run(db_path, capsys, "log", "meeting", "--compact", "essex", "--title", "t", "--on", "today")
    assert code == 0
    if not warned:
        assert err == ""
    else:
        assert err == (f"compact-tui: warning: the chain key {key} has mode {mode:03o}: {warned}, and whoever holds "
                       f"the key can re-seal an edited timeline; make it readable by the team only ('chmod 640 "
                       f"{key}', as the README's team set-up does).\n")
        assert run(db_path, capsys, "audit", "verify")[2] == err
