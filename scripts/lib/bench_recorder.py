"""What a followed match costs the recorder: ours against a TeamTracker-style entity.

A real Home Assistant with its recorder on SQLite (as a user's runs it) follows
matches of several sports (tests/simulator scenarios: football, basketball,
hockey, tennis) played from kick-off to the end on the simulator's clock, 5 s of
match time per step. In the same run and database, one TeamTracker-style entity
per match is written every 5 s with its state and every card attribute
(`teamtracker.card_attributes`, nothing kept out of the recorder), as TeamTracker
does while a game is on.

Printed per followed match: state rows and database bytes of our entities (the
match's status, score and scoreboard sensors and its event entity; their rows
apiece too) and of the TeamTracker-style entity, and `ours_vs_teamtracker_bytes_pct`
(target <= 2). Every change of an entity's state or attributes is a row, whether the
attributes that changed are kept out of the recorder or not: only what is recorded
of it is shared between rows.
Bytes are each table's pages (SQLite `dbstat`), shared out by rows (states) and
by stored attribute text (state_attributes); the file's size is printed too.
"""

import argparse
import asyncio
from collections import defaultdict
from pathlib import Path
import sqlite3
import tempfile
import time

from bench_hass import add_entry, follow, run, start_hass
from homeassistant.components.recorder import get_instance
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from custom_components.live_scores.teamtracker import card_attributes, card_state
from tests.simulator import SimConfig, Simulator

SCENARIOS = ("goals", "basketball", "hockey", "tennis")
STEP = 5.0  # match seconds between TeamTracker writes (and simulator steps)


def entity_rows(db: Path, entity_ids: dict[str, str]) -> dict[str, dict[str, int]]:
    """State rows per owner and kind of entity (`status`, `home_score`, `event`…)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "SELECT m.entity_id, count(*) FROM states s "
            "JOIN states_meta m ON s.metadata_id = m.metadata_id GROUP BY m.entity_id"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for entity_id, count in rows:
        if (owner := entity_ids.get(entity_id)) is not None:
            kind = "event" if entity_id.startswith("event.") else entity_id.rsplit("_", 1)[-1]
            kind = {"score": entity_id.rsplit("_", 2)[-2] + "_score"}.get(kind, kind)
            out[owner][kind] = out[owner].get(kind, 0) + count
    return out


def measure(db: Path, ours: dict[str, str], theirs: dict[str, str]) -> dict[str, tuple[int, float]]:
    """Rows and bytes per owner (`ours` / `theirs` map entity ids to owner names)."""
    con = sqlite3.connect(db)
    try:
        pages = dict(con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        rows = con.execute(
            "SELECT m.entity_id, count(*), sum(length(coalesce(s.state, ''))) FROM states s "
            "JOIN states_meta m ON s.metadata_id = m.metadata_id GROUP BY m.entity_id"
        ).fetchall()
        attrs = con.execute(
            "SELECT m.entity_id, sum(length(a.shared_attrs)) FROM state_attributes a JOIN "
            "(SELECT DISTINCT attributes_id, metadata_id FROM states) s ON s.attributes_id = a.attributes_id "
            "JOIN states_meta m ON s.metadata_id = m.metadata_id GROUP BY m.entity_id"
        ).fetchall()
        all_rows = con.execute("SELECT count(*) FROM states").fetchone()[0]
        all_attrs = con.execute(
            "SELECT sum(length(shared_attrs)) FROM state_attributes"
        ).fetchone()[0]
    finally:
        con.close()
    states_bytes = sum(v for k, v in pages.items() if k.startswith(("states", "ix_states")))
    attrs_bytes = sum(v for k, v in pages.items() if "state_attributes" in k)
    owner = {**ours, **theirs}
    out: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for entity_id, count, _length in rows:
        if entity_id in owner:
            out[owner[entity_id]][0] += count
            out[owner[entity_id]][1] += states_bytes * count / all_rows
    for entity_id, length in attrs:
        if entity_id in owner and length:
            out[owner[entity_id]][1] += attrs_bytes * length / all_attrs
    return {k: (int(v[0]), v[1]) for k, v in out.items()}


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=float, default=4 * 3600, help="match seconds at most")
    args = parser.parse_args()
    started = time.monotonic()
    config_dir = Path(tempfile.mkdtemp(prefix="live-scores-bench-recorder-"))
    db = config_dir / "home-assistant_v2.db"
    hass = await start_hass(config_dir, recorder={"db_url": f"sqlite:///{db}"})
    sim = Simulator(SimConfig(manual_clock=True))
    await sim.start()
    matches = [m for name in SCENARIOS for m in sim.load_scenario(name)]
    entry = await add_entry(hass, sim, sim.SAP_KEY)
    for m in matches:
        follow(
            hass,
            entry,
            "match",
            {"match_id": str(m.sap_id), "sport": m.sport},
            f"{m.spec.home.name} {m.spec.away.name}",
        )
    await hass.async_block_till_done()
    coordinator = entry.runtime_data
    subentries = {
        str(m.sap_id): sid
        for sid, f in coordinator.followed.items()
        for m in matches
        if f.key == str(m.sap_id)
    }
    played = 0.0
    while played < args.limit and not all(m.final and not m.just_ended for m in matches):
        await sim.advance(STEP)
        played += STEP
        await asyncio.sleep(0.001)  # the feed client reads what was sent
        await hass.async_block_till_done()
        for m in matches:  # TeamTracker writes every poll, changed or not
            match = coordinator.live(subentries[str(m.sap_id)])
            now = dt_util.utcnow()
            attributes = card_attributes(match, None, now=now, last_update=now)
            hass.states.async_set(f"sensor.teamtracker_{m.sap_id}", card_state(match), attributes)
    await asyncio.sleep(0.2)
    await hass.async_block_till_done()
    instance = get_instance(hass)
    instance._async_commit(dt_util.utcnow())  # noqa: SLF001 - write what is pending now
    await hass.async_add_executor_job(instance.block_till_done)
    ents = er.async_get(hass)
    ours = {
        e.entity_id: f"ours:{coordinator.followed[e.config_subentry_id].key}"
        for e in ents.entities.values()
        if e.config_entry_id == entry.entry_id and e.config_subentry_id in coordinator.followed
    }
    theirs = {f"sensor.teamtracker_{m.sap_id}": f"teamtracker:{m.sap_id}" for m in matches}
    figures = await hass.async_add_executor_job(measure, db, ours, theirs)
    kinds = await hass.async_add_executor_job(entity_rows, db, ours)
    await sim.stop()
    await hass.async_stop()
    print(
        f"bench_recorder: {len(matches)} followed matches ({', '.join(m.sport for m in matches)}), "
        f"{played / 60:.0f} match minutes in {time.monotonic() - started:.0f} s; "
        f"recorder on SQLite, database file {db.stat().st_size / 1e6:.2f} MB"
    )
    total_ours = [0, 0.0]
    total_theirs = [0, 0.0]
    for m in matches:
        o = figures.get(f"ours:{m.sap_id}", (0, 0.0))
        t = figures.get(f"teamtracker:{m.sap_id}", (0, 0.0))
        total_ours = [total_ours[0] + o[0], total_ours[1] + o[1]]
        total_theirs = [total_theirs[0] + t[0], total_theirs[1] + t[1]]
        print(
            f"  {m.sport:<10} ours: {o[0]:5d} rows {o[1] / 1e3:8.1f} kB   teamtracker-style: "
            f"{t[0]:5d} rows {t[1] / 1e3:8.1f} kB   ours/tt bytes {100 * o[1] / t[1]:.1f}%  rows {100 * o[0] / t[0]:.1f}%"
        )
        apiece = kinds.get(f"ours:{m.sap_id}", {})
        print(
            "             ours' rows: " + ", ".join(f"{k} {n}" for k, n in sorted(apiece.items()))
        )
    n = len(matches)
    print(
        f"per followed match: ours {total_ours[0] / n:.0f} rows {total_ours[1] / n / 1e3:.1f} kB; "
        f"teamtracker-style {total_theirs[0] / n:.0f} rows {total_theirs[1] / n / 1e3:.1f} kB"
    )
    print(f"ours_vs_teamtracker_rows_pct={100 * total_ours[0] / total_theirs[0]:.1f}")
    print(f"ours_vs_teamtracker_bytes_pct={100 * total_ours[1] / total_theirs[1]:.2f}")


if __name__ == "__main__":
    run(main)
