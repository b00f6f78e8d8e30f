"""A large, valid case log for the benchmarks: 100,000 cases and 1,000,000 events.

Rows are written straight into SQLite with ``executemany`` in big transactions (the case
log's own ``CaseLog.log`` would take minutes), but every row is one the case log could have
written: real compacts, kinds, clause references and dispute stages; findings from the
compacts' own rules (:func:`compact_tui.rules.notice.evaluate`); due dates from the case log's own
``_due``; and a timeline of events whose hash chain and replayed fields pass
``compact-tui audit verify``.

The timeline is sealed with the benchmark's own chain key (``/tmp/compact-tui-bench/bench.key``,
made on first use; :func:`use_bench_key` points ``$COMPACT_TUI_KEY_FILE`` at it), and covers
every table as the case log's own writes do: organisations and signatures have their events,
each ``logged`` event carries the case's parties, cited clauses and findings.

The seeded file is cached (``/tmp/compact-tui-bench/seed-keyed-*-FINGERPRINT.db``) and a new one is
built when the schema, the key, the chain's hashing or this script changes; :func:`fresh_copy` hands each run
its own copy so runs are repeatable.

    .venv/bin/python scripts/seed_db.py [--cases N --events M] [--force]
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import os
import random
import shutil
import sqlite3
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from compact_tui.caselog.audit import EVENT_COLUMNS, GENESIS, event_hash
from compact_tui.caselog.chain_key import KEY_ENV, key_id, load_key, new_key_text
from compact_tui.caselog.case_log import KIND_DATES, CaseLog
from compact_tui.content.model import DATE_FIELDS
from compact_tui.content.plugins import load_registry
from compact_tui.rules.notice import evaluate
from compact_tui.caselog.store import Store

CACHE = Path("/tmp/compact-tui-bench")
CASES, EVENTS = 100_000, 1_000_000
TODAY = date.today()
FIRST_DAY = TODAY - timedelta(days=10 * 365)
ACTORS = ("asmith", "bjones", "ckhan", "dpatel", "ewilliams", "fnowak", "gobi", "hlee")
KINDS = (("consultation", 26), ("funding-change", 22), ("dispute", 7), ("meeting", 20), ("note", 12),
         ("annual-review", 1), ("champion", 6), ("signatory", 6))
COMPACT_WEIGHTS = {"essex": 30, "southend": 20, "southampton": 20, "havering": 18, "high_peak": 12}
PLACES = {"essex": ("Chelmsford", "Basildon", "Colchester", "Harlow", "Brentwood", "Braintree", "Maldon"),
          "southend": ("Southend", "Leigh", "Shoebury", "Westcliff", "Thorpe Bay", "Eastwood", "Prittlewell"),
          "southampton": ("Southampton", "Bitterne", "Portswood", "Shirley", "Woolston", "Sholing", "Itchen"),
          "havering": ("Havering", "Romford", "Hornchurch", "Upminster", "Rainham", "Harold Hill", "Elm Park"),
          "high_peak": ("High Peak", "Buxton", "Glossop", "Chapel-en-le-Frith", "New Mills", "Whaley Bridge")}
NOUNS = ("Community", "Youth", "Carers", "Food", "Arts", "Sports", "Housing", "Advice", "Mental Health",
         "Older People's", "Families", "Environment", "Heritage", "Transport", "Disability")
TYPES = ("Trust", "Forum", "Network", "Project", "Association", "Partnership", "Centre", "Group")
STATUTORY = ("Borough Council", "County Council", "Clinical Commissioning Group", "Police", "Fire Service",
             "Town Council", "Parish Council", "NHS Trust")
TITLES = {
    "consultation": ("Consultation on {n} strategy", "Review of {n} services", "{n} commissioning plan"),
    "funding-change": ("Grant to {o} ending", "{n} contract re-let", "Cut to {n} grant for {o}"),
    "dispute": ("{o}: complaint about {n} funding", "Disagreement over {n} consultation"),
    "meeting": ("Compact steering group", "Champions' quarterly meeting", "Annual Compact conference"),
    "note": ("{o} asked about the Compact", "Briefing for {n} officers"),
    "annual-review": ("Annual review of the Compact",),
    "champion": ("{o} names its Compact Champion",),
    "signatory": ("{o} signs the Compact",),
}


def bytecode_as_installed() -> None:
    """Time our code as an officer runs it: from compiled bytecode. ``./dev`` installs the
    project editable, so Python compiles ``src/`` and ``plugins/`` on first use and keeps the
    result, as it does for the packages pip installed (textual, sqlite-utils), unless
    ``$PYTHONDONTWRITEBYTECODE`` is set (some shells and CI set it): then every run of ours
    would re-compile every module from source while the libraries we are compared with would
    not. So that variable is dropped for the commands the benchmark runs, and the bytecode is
    made before the first one."""
    import compileall

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
    root = Path(__file__).resolve().parent.parent
    for folder in (root / "src", root / "plugins"):
        compileall.compile_dir(folder, quiet=1)


def use_bench_key() -> bytes:
    """The benchmark's chain key, made once; ``$COMPACT_TUI_KEY_FILE`` names it from now on
    (so the commands the benchmark runs seal with it too)."""
    path = CACHE / "bench.key"
    CACHE.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(new_key_text() + "\n")
        path.chmod(0o600)
    os.environ[KEY_ENV] = str(path)
    return load_key()


def fingerprint() -> str:
    """Changes when the schema, the key, the chain's hashing or this script changes: the cached
    seed is then rebuilt."""
    store = Store(memory=True)
    schema = "\n".join(r["sql"] or "" for r in store.query("SELECT sql FROM sqlite_master ORDER BY name"))
    store.close()
    chain = Path(sys.modules[event_hash.__module__].__file__).read_text()  # how an event is hashed
    return hashlib.sha256((schema + key_id(use_bench_key()) + chain + Path(__file__).read_text()).encode()).hexdigest()[:16]


def cached_seed(cases: int = CASES, events: int = EVENTS, force: bool = False) -> tuple[Path, float | None]:
    """The cached seeded database, built if needed; and the seconds seeding took (None if cached)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    want = fingerprint()
    path = CACHE / f"seed-keyed-{cases}-{events}-{want}.db"  # one per version: branches benchmarked at once
    key = path.with_suffix(".key")                          # never rebuild each other's seed
    if not force and path.exists() and key.exists() and key.read_text() == want:
        return path, None
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    started = time.perf_counter()
    seed(tmp, cases, events)
    took = time.perf_counter() - started
    tmp.replace(path)
    key.write_text(want)
    return path, took


def fresh_copy(seed_path: Path, dest: Path) -> Path:
    for p in (dest, Path(f"{dest}-wal"), Path(f"{dest}-shm")):
        p.unlink(missing_ok=True)
    shutil.copyfile(seed_path, dest)
    dest.chmod(0o600)
    return dest


class Seeder:
    def __init__(self, conn: sqlite3.Connection, n_cases: int, n_events: int, rng: random.Random):
        self.conn, self.rng = conn, rng
        self.n_cases, self.n_events = n_cases, n_events
        self.registry = load_registry()
        self.compacts = [c for c in self.registry if c.id in COMPACT_WEIGHTS]
        self.weights = [COMPACT_WEIGHTS[c.id] for c in self.compacts]
        self.due_of = CaseLog(store=None, registry=self.registry, actor="seed")._due
        self.refs = {c.id: [cl.ref for cl in c.clauses] for c in self.compacts}
        self.held: dict[tuple, list[str]] = {}  # (compact, kind, ref or "") -> dates, for recurring rules
        self.prev_hash, self.event_id = GENESIS, 0
        self.key = use_bench_key()
        self.orgs: dict[str, list[tuple[int, str]]] = {}

    # -- organisations ------------------------------------------------------------------

    def organisations(self, per_compact: int = 400) -> None:
        rows, sigs, n, seen = [], [], 0, set()
        for compact in self.compacts:
            self.orgs[compact.id] = []
            while len(self.orgs[compact.id]) < per_compact:
                place = self.rng.choice(PLACES[compact.id])
                if self.rng.random() < 0.15:
                    name, side = f"{place} {self.rng.choice(STATUTORY)}", "statutory"
                else:
                    name, side = f"{place} {self.rng.choice(NOUNS)} {self.rng.choice(TYPES)}", "vcs"
                if name.lower() in seen:
                    name = f"{name} {len(self.orgs[compact.id]) + 1}"
                seen.add(name.lower())
                n += 1
                rows.append((n, name, side, compact.info.area, "", f"{FIRST_DAY.isoformat()}T09:00:00+00:00"))
                self.orgs[compact.id].append((n, name))
                if self.rng.random() < 0.6:
                    sigs.append((n, compact.id, self.day(0, 3000)))
        self.conn.executemany("INSERT INTO organisations (id, name, side, locality, champion, created_at) "
                              "VALUES (?, ?, ?, ?, ?, ?)", rows)
        self.conn.executemany("INSERT INTO signatures (organisation_id, compact, signed_on) VALUES (?, ?, ?)", sigs)
        cols = ("id", "name", "side", "locality", "champion", "created_at")
        events = [self.event(None, r[5], r[5][:10], "asmith", "org-added", {"org": dict(zip(cols, r))})
                  for r in rows]
        events += [self.event(None, rows[0][5], sig[2], "asmith", "signed", {"signatures": [list(sig)]})
                   for sig in sigs]
        insert_events(self.conn, events)

    def event(self, case_id, at: str, happened: str, actor: str, action: str, detail: dict, note: str = "") -> tuple:
        """The next event of the keyed chain, as a row of ``events``."""
        self.event_id += 1
        fields = (self.event_id, case_id, at, happened, actor, action,
                  json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str), note)
        digest = event_hash(self.key, self.prev_hash, fields)
        row = (*fields, self.prev_hash, digest)
        self.prev_hash = digest
        return row

    def day(self, lo: int, hi: int) -> str:
        return (FIRST_DAY + timedelta(days=self.rng.randint(lo, hi))).isoformat()

    # -- cases --------------------------------------------------------------------------

    def plan_opened(self) -> list[date]:
        """Opening dates, oldest first, thickening a little towards today."""
        span = (TODAY - FIRST_DAY).days
        days = sorted(int(span * (self.rng.random() ** 0.8)) for _ in range(self.n_cases))
        return [FIRST_DAY + timedelta(days=d) for d in days]

    def case(self, opened: date) -> tuple:
        """One case: its final row, parties, cites, findings, and the 'set' of each structural event."""
        rng = self.rng
        compact = rng.choices(self.compacts, self.weights)[0]
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        orgs = rng.sample(self.orgs[compact.id], rng.choice((1, 1, 1, 2, 2, 3)))
        names = [o[1] for o in orgs]
        cites = self.cites(compact, kind)
        title = rng.choice(TITLES[kind]).format(n=rng.choice(NOUNS), o=names[0])
        age = (TODAY - opened).days
        dates = self.dates(kind, opened)
        case = {"compact": compact.id, "kind": kind, "title": title, "status": "open", "stage": None,
                "stage_since": None, "outcome": None,
                "reason": "Urgent budget decision" if rng.random() < 0.05 else "",
                "in_writing": None if rng.random() < 0.9 else 0, "confidential": int(rng.random() < 0.03),
                "parties": "; ".join(names), "cites": " ".join(cites), **{f: dates.get(f) for f in DATE_FIELDS}}
        if kind == "dispute" and compact.procedure and compact.procedure.walkable:
            case["stage"], case["stage_since"] = compact.procedure.start, dates["opened"]
        record_only = kind in ("meeting", "annual-review", "champion", "signatory", "note")
        if record_only and rng.random() < 0.9:
            case["status"] = "closed"
        case["due"], case["due_what"] = self.due_of(compact, case)
        findings = evaluate(compact, {**case, "cites": cites}, self.previous(compact.id))
        if kind in ("meeting", "annual-review", "champion", "signatory", "note"):
            held = case["on"] or case["opened"]
            for ref in ["", *cites]:
                bisect.insort(self.held.setdefault((compact.id, kind, ref), []), held)
        changes = [dict(case)]
        if case["status"] == "open":
            changes += self.later(compact, case, age)
        return case, orgs, cites, findings, changes

    def cites(self, compact, kind: str) -> list[str]:
        rng, out = self.rng, []
        wanted = [r.ref for r in compact.rules_for(kind) if r.needs_cite or r.type != "recurring"]
        if wanted and rng.random() < 0.7:
            out.append(rng.choice(wanted))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            ref = rng.choice(self.refs[compact.id])
            if ref not in out:
                out.append(ref)
        return out

    def dates(self, kind: str, opened: date) -> dict[str, str]:
        rng, d = self.rng, {"opened": opened}
        if kind == "consultation":
            d["start"] = opened
            d["end"] = opened + timedelta(weeks=rng.choice((6, 8, 10, 12, 12, 12, 13, 16)))
        elif kind == "funding-change":
            d["notified"] = opened
            d["effective"] = opened + timedelta(days=rng.choice((30, 45, 60, 92, 92, 120, 180)))
            if rng.random() < 0.5:
                d["period_end"] = opened + timedelta(days=rng.randint(-40, 200))
        elif "on" in KIND_DATES[kind]:
            d["on"] = opened
        return {k: v.isoformat() for k, v in d.items()}

    def previous(self, compact_id: str):
        def previous(rule, case):
            held = case.get("on") or case.get("opened")
            seen = self.held.get((compact_id, rule.applies_to, rule.ref if rule.needs_cite else ""), [])
            i = bisect.bisect_left(seen, held)
            return date.fromisoformat(seen[i - 1]) if i else None
        return previous

    def later(self, compact, case: dict, age: int) -> list[dict]:
        """What happened after logging: most cases are closed; recent ones stay open."""
        rng, out = self.rng, []
        keep_open = age < 120 and rng.random() < 0.6 or rng.random() < 0.003
        if case["kind"] == "dispute" and case["stage"]:
            proc, stage = compact.procedure, case["stage"]
            since = date.fromisoformat(case["opened"])
            for _ in range(12):
                moves = proc.moves_from(stage)
                if not moves or (keep_open and rng.random() < 0.4):
                    break
                move = rng.choice(moves)
                since = min(TODAY, since + timedelta(days=rng.randint(3, 40)))
                target = proc.stage(move.to_stage)
                ch = {"stage": move.to_stage, "stage_since": since.isoformat(),
                      "_move": {"from": stage, "was": {k: case[k] for k in ("status", "stage", "stage_since",
                                                                             "outcome")},
                                "confirmed": sorted(c.id for c in move.conditions if not c.team_size),
                                "team": [{"name": f"Mediator {i + 1}", "sector": ("vcs", "statutory")[i % 2]}
                                         for c in move.conditions for i in range(c.team_size)]}}
                if target.outcome:
                    ch |= {"status": "closed", "outcome": target.outcome}
                merged = {**case, **ch}
                ch["due"], ch["due_what"] = self.due_of(compact, merged)
                case.update(ch)
                out.append(ch)
                stage = move.to_stage
                if target.outcome:
                    break
            return out
        if not keep_open:
            ch = {"status": "closed", "due": None, "due_what": None}
            case.update(ch)
            out.append(ch)
        return out


def seed(path: Path, n_cases: int = CASES, n_events: int = EVENTS, rng_seed: int = 20260105) -> None:
    Store(path).close()  # the real schema, migrations recorded, WAL mode
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    s = Seeder(conn, n_cases, n_events, random.Random(rng_seed))
    conn.execute("BEGIN")
    s.organisations()
    conn.execute("COMMIT")
    opened = s.plan_opened()
    plans = []
    for i, day in enumerate(opened, start=1):
        plans.append(s.case(day))
    structural = sum(len(p[4]) for p in plans) + s.event_id
    notes = [0] * n_cases
    for _ in range(max(0, n_events - structural)):
        notes[int(n_cases * s.rng.random() ** 1.3)] += 1  # older cases gathered more notes
    batch = 10_000
    for lo in range(0, n_cases, batch):
        conn.execute("BEGIN")
        write_batch(s, plans[lo:lo + batch], notes[lo:lo + batch], lo + 1)
        conn.execute("COMMIT")
        plans[lo:lo + batch] = [None] * len(plans[lo:lo + batch])
    conn.execute("INSERT INTO chain_head (id, last_event_id, last_hash, key_id) VALUES (1, ?, ?, ?)",
                 [s.event_id, s.prev_hash, key_id(s.key)])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


CASE_COLS = ("compact", "kind", "title", "status", "stage", "stage_since", "outcome", "reason", "in_writing",
             "confidential", "parties", "cites", *DATE_FIELDS, "due", "due_what")
NOTES = ("Phoned the lead officer.", "Met both parties; minutes attached to the file.",
         "Letter sent; copy on the shared drive.", "Chased for a reply.", "Raised at the Compact steering group.")


def write_batch(s: Seeder, plans, notes, first_id: int) -> None:
    cases, parties, cites, findings, signatures, events = [], [], [], [], [], []
    for offset, (case, orgs, refs, found, changes) in enumerate(plans):
        cid = first_id + offset
        opened = case["opened"]
        last = date.fromisoformat(case["stage_since"] or opened)
        end = TODAY if case["status"] == "open" else min(TODAY, last + timedelta(days=s.rng.randint(1, 90)))
        stamp = f"{opened}T09:30:00+00:00"
        actor = s.rng.choice(ACTORS)
        party_rows = [[name, oid] for oid, name in orgs]
        finding_rows = [[case["compact"], f.rule_id, f.ref, f.severity, f.message, f.due] for f in found]
        signed = ([[oid, case["compact"], case["on"] or opened] for oid, _ in orgs]
                  if case["kind"] == "signatory" else [])
        parties += [(cid, name, oid) for name, oid in party_rows]
        cites += [(cid, r) for r in refs]
        findings += [(cid, *f) for f in finding_rows]
        signatures += signed
        first = changes[0]
        logged = {"set": first, "parties": party_rows, "cites": refs, "findings": finding_rows, "signatures": signed}
        timeline = [("logged", logged, case.get("on") or opened)]
        n_notes = notes[offset]
        span = max(0, (end - date.fromisoformat(opened)).days)
        note_days = sorted(s.rng.randint(0, span) for _ in range(n_notes))
        for d in note_days:
            timeline.append(("note", {}, (date.fromisoformat(opened) + timedelta(days=d)).isoformat()))
        for ch in changes[1:]:  # as the case log writes them: what each left, and a move's conditions
            move = ch.pop("_move", None)
            detail = {"set": ch, **move} if move else {"set": ch, "was": {"status": "open", "outcome": None}}
            timeline.append(("advanced" if move else "closed", detail, ch.get("stage_since") or end.isoformat()))
        timeline.sort(key=lambda t: t[2] if t[0] != "logged" else "")  # logged first, then by day
        at = stamp
        for action, detail, happened in timeline:
            at = stamp if action == "logged" else f"{happened}T12:00:00+00:00"
            events.append(s.event(cid, at, happened, actor, action, detail,
                                  s.rng.choice(NOTES) if action == "note" else ""))
        cases.append((cid, *[case[c] for c in CASE_COLS], actor, actor, stamp, at))  # owner: who logged it
    conn = s.conn
    cols = ", ".join(f'"{c}"' for c in ("id", *CASE_COLS, "owner", "created_by", "created_at", "updated_at"))
    conn.executemany(f"INSERT INTO cases ({cols}) VALUES ({', '.join('?' * (len(CASE_COLS) + 5))})", cases)
    conn.executemany("INSERT INTO case_parties (case_id, name, organisation_id) VALUES (?, ?, ?)", parties)
    conn.executemany("INSERT INTO case_cites (case_id, ref) VALUES (?, ?)", cites)
    conn.executemany("INSERT INTO findings (case_id, compact, rule_id, ref, severity, message, due) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", findings)
    conn.executemany("INSERT OR REPLACE INTO signatures (organisation_id, compact, signed_on) VALUES (?, ?, ?)",
                     signatures)
    insert_events(conn, events)


def insert_events(conn, events: list[tuple]) -> None:
    conn.executemany(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}, prev_hash, hash) "
                     f"VALUES ({', '.join('?' * (len(EVENT_COLUMNS) + 2))})", events)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=CASES)
    ap.add_argument("--events", type=int, default=EVENTS)
    ap.add_argument("--force", action="store_true", help="rebuild even if the cached seed is current")
    args = ap.parse_args()
    path, took = cached_seed(args.cases, args.events, args.force)
    print(f"{path}: " + (f"seeded in {took:.1f} s" if took is not None else "cached, up to date"))


if __name__ == "__main__":
    main()
