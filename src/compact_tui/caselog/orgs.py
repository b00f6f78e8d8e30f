"""Organisations, the compacts they have signed, and which compact applies to a matter.

The Essex text's rule: use the most local compact that covers the matter, and move one
level up only when it does not. :func:`which` starts from an organisation (the compacts it
signed) or a locality (the compacts that name it) and walks up the hierarchy by area
(:meth:`Registry.levels`, from each compact's info alone), saying when a level falls to a compact that is not installed. A
locality no installed compact names falls to the national Compact, if one is installed.
"""

from __future__ import annotations

from datetime import date

from ..record import record
from .audit import append_event, current_user, now
from ..errors import UserError
from ..content.registry import NATIONAL_AREA, Registry
from .store import Store
from ..text import check_text, quoted

TYPE_CHECKING = False  # typing's names for mypy only: importing typing would cost `log --org`
if TYPE_CHECKING:
    from typing import Any

#: Sides an organisation can be on. Essex also names parish and town councils.
ORG_SIDES = ("statutory", "vcs", "parish")
SIDE_NAMES = {"statutory": "statutory", "vcs": "voluntary and community", "parish": "parish or town council"}


def add_org(store: Store, name: str, side: str, locality: str = "", champion: str = "") -> dict[str, Any]:
    name = check_text(name, "the organisation's name", 200, single_line=True).strip()
    locality = check_text(locality, "the locality", 200, single_line=True, required=False)
    champion = check_text(champion, "the champion's name", 200, single_line=True, required=False)
    if side not in ORG_SIDES:
        raise UserError(f"side {quoted(side)} is not known (choose from {', '.join(ORG_SIDES)}).")
    if get_org(store, name) is not None:
        raise UserError(f"an organisation called {quoted(name)} already exists.")
    at = now()
    with store.write() as db:
        cur = db.execute("INSERT INTO organisations (name, side, locality, champion, created_at) VALUES (?, ?, ?, ?, ?)",
                         [name, side, locality, champion, at])
        org = {"id": cur.lastrowid, "name": name, "side": side, "locality": locality, "champion": champion,
               "created_at": at}
        append_event(db, None, "org-added", {"org": org}, actor=current_user(), happened_on=at[:10], at=at)
    return get_org(store, name) or org


def get_org(store: Store, name: str) -> dict[str, Any] | None:
    row = store.one("SELECT * FROM organisations WHERE name = ?", [name.strip()])
    if row is None:
        return None
    row["signed"] = store.query("SELECT compact, signed_on FROM signatures WHERE organisation_id = ? "
                                "ORDER BY signed_on", [row["id"]])
    return row


def require_org(store: Store, name: str) -> dict[str, Any]:
    org = get_org(store, name)
    if org is None:
        raise UserError(f"there is no organisation called {quoted(name)} ('compact-tui orgs add' adds one).")
    return org


def list_orgs(store: Store, compact: str = "") -> list[dict[str, Any]]:
    sql = "SELECT * FROM organisations"
    params: list[Any] = []
    if compact:
        sql += " WHERE id IN (SELECT organisation_id FROM signatures WHERE compact = ?)"
        params.append(compact)
    rows = store.query(sql + " ORDER BY name COLLATE NOCASE", params)
    signed: dict[int, list[Any]] = {}
    for s in store.query("SELECT organisation_id, compact, signed_on FROM signatures ORDER BY signed_on"):
        signed.setdefault(s["organisation_id"], []).append({"compact": s["compact"], "signed_on": s["signed_on"]})
    for row in rows:
        row["signed"] = signed.get(row["id"], [])
    return rows


def org_names(store: Store) -> list[str]:
    """Every organisation's name, A to Z: what the quick-log form suggests as parties."""
    return [r["name"] for r in store.query("SELECT name FROM organisations ORDER BY name COLLATE NOCASE")]


def sign(store: Store, registry: Registry, name: str, compact_id: str, on: date) -> dict[str, Any]:
    org = require_org(store, name)
    compact_id = registry.require(compact_id).id
    from ..rules.dates import check_date

    on = check_date(on, "the signing date")
    with store.write() as db:
        db.execute("INSERT OR REPLACE INTO signatures (organisation_id, compact, signed_on) VALUES (?, ?, ?)",
                   [org["id"], compact_id, on.isoformat()])
        append_event(db, None, "signed", {"signatures": [[org["id"], compact_id, on.isoformat()]]},
                     actor=current_user(), happened_on=on.isoformat())
    return require_org(store, name)


def set_champion(store: Store, name: str, champion: str) -> dict[str, Any]:
    org = require_org(store, name)
    champion = check_text(champion, "the champion's name", 200, single_line=True, required=False)
    with store.write() as db:
        db.execute("UPDATE organisations SET champion = ? WHERE id = ?", [champion, org["id"]])
        append_event(db, None, "org-changed", {"org_id": org["id"], "set": {"champion": champion}},
                     actor=current_user(), happened_on=now()[:10])
    return require_org(store, name)


def depth(registry: Registry, compact_id: str) -> int:
    """How many levels sit above a compact (more is more local)."""
    return len(registry.levels(compact_id)) - 1


def compact_for_org(store: Store, registry: Registry, name: str) -> str | None:
    """The most local installed compact an organisation has signed."""
    org = get_org(store, name)
    if org is None:
        return None
    signed = [s["compact"] for s in org["signed"] if registry.has(s["compact"])]
    return max(signed, key=lambda c: depth(registry, c)) if signed else None


@record
class Level:
    compact: str
    name: str
    installed: bool
    why: str
    usable: bool = True  # False: installed, but its plugin or its content has a problem (said in why)


def which(store: Store | None, registry: Registry, target: str) -> list[Level]:
    """The compacts that apply to an organisation or locality, most local first."""
    starts: list[tuple[str, str]] = []
    org = get_org(store, target) if store is not None else None
    if org is not None:
        for s in org["signed"]:
            starts.append((s["compact"], f"{org['name']} signed it on {s['signed_on']}"))
        if not starts and org["locality"]:
            target = org["locality"]
    unusable: list[Level] = []
    if not starts:
        wanted = target.strip().lower()
        for compact_id in registry.compacts:
            info = registry.info(compact_id)
            if wanted in [n.lower() for n in (*info.localities, info.area)]:
                starts.append((info.id, f"it covers {target}"))
        for cid, info in registry.unavailable.items():
            if wanted in [n.lower() for n in (*info.localities, info.area) if n]:
                unusable.append(_unusable(registry, cid, f"it covers {target}"))
    if not starts:
        national_id = registry.covering_id(NATIONAL_AREA)
        if not national_id:
            return unusable
        national = registry.info(national_id)
        return unusable + [Level(national.id, national.name, True,
                                 f"no {'usable' if unusable else 'installed'} local compact names {target}; {national.name} covers all of "
                                 f"{national.area}")]
    start = max(starts, key=lambda s: depth(registry, s[0]) if registry.has(s[0]) else -1)
    levels: list[Level] = []
    below = ""  # the id of the level before (set for every level after the first)
    for i, (cid, installed, name) in enumerate(registry.levels(start[0])):
        if i == 0 or not below:
            why = start[1]
        else:
            _, source = registry.parent_area(registry.info(below))
            how = "by your local setting ([hierarchy] in config.toml)" if source == "local setting" else \
                f"by our reading of a source text ('compact-tui show {below}' says which)" \
                if source == "reading" else "as a source text states"
            why = f"one level up, {how}: use it where the compact below does not cover the matter"
        if i == 0 and not installed and cid in registry.unavailable:
            levels.append(_unusable(registry, cid, why))
            break
        levels.append(Level(cid, name, installed, why))
        below = cid if installed else ""
    return unusable + levels


def _unusable(registry: Registry, compact_id: str, why: str) -> Level:
    """An installed compact that cannot be used, with why."""
    error = registry.error_of(compact_id)
    reason = error.why if error is not None else "its plugin failed"
    name = registry.unavailable[compact_id].name or compact_id
    return Level(compact_id, name, True, f"{why}, but it cannot be used: {reason}", usable=False)
