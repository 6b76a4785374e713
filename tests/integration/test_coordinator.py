"""Coordinator corners: unfollowed pushes, unknown subentries (typed teams: test_typed_names)."""

from datetime import UTC, datetime
from types import MappingProxyType
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, ConfigSubentryData
from homeassistant.core import Event, HomeAssistant, callback
import probatio as vol
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
)

from custom_components.live_scores.const import EVENT_GOAL, EVENT_MATCH_EVENT
from custom_components.live_scores.feed.api import ConnectionState
from custom_components.live_scores.feed.errors import CannotConnect
from custom_components.live_scores.feed.model import Status
from tests.simulator import Simulator

from .common import make_entry, match_subentry, setup_entry
from .fake_feed import FakeFeed, advance, make_match, summary
from .sim_helpers import FAST, configure, sap_fields, until


def _sub(kind: str, data: dict[str, str], title: str) -> ConfigSubentryData:
    return ConfigSubentryData(
        data=MappingProxyType(data), subentry_type=kind, title=title, unique_id=f"{kind}:{title}"
    )


async def test_unfollowed_pushes_and_other_failures(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    coordinator = entry.runtime_data
    goals = async_capture_events(hass, EVENT_GOAL)
    others = async_capture_events(hass, EVENT_MATCH_EVENT)
    other = make_match("zz", score=(1, 0), status=Status.LIVE)
    coordinator.on_matches([other])
    coordinator.on_events([])
    assert "zz" not in coordinator.matches
    fake_feed.client.targets = fake_feed.client.targets.__class__(matches=frozenset({"zz"}))
    fake_feed.client.push(make_match("zz", score=(0, 0), status=Status.LIVE))
    fake_feed.client.push(other)  # an event for a match no subentry follows
    await hass.async_block_till_done()
    assert goals == []
    assert others == []
    # The client hands states over in order: the last one given is shown, even
    # with a lower version (a reconnect restarts the service's counters).
    coordinator.on_matches([make_match("m1", version=5)])
    coordinator.on_matches([advance(make_match("m1", version=4), status=Status.LIVE)])
    assert coordinator.matches["m1"].status is Status.LIVE
    # A failure that is neither auth, quota nor plan: unavailable, no issue, no flow.
    fake_feed.client.connection(ConnectionState.FAILED, CannotConnect("gone"))
    assert not coordinator.connected
    assert not hass.config_entries.flow.async_progress_by_handler("live_scores")
    await coordinator.async_shutdown()
    coordinator.on_matches([make_match("m1", version=6)])  # no save after stop


async def test_unknown_subentry_type_ignored(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(subentries=[_sub("league_table", {"x": "1"}, "x"), match_subentry("m1")])
    await setup_entry(hass, entry)
    assert next(iter(entry.runtime_data.followed.values())).kind == "match"
    assert len(entry.runtime_data.followed) == 1


async def test_competition_events(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry(
        subentries=[
            _sub("competition", {"competition": "LaLiga", "competition_id": "c1"}, "LaLiga")
        ]
    )
    await setup_entry(hass, entry)
    goals = async_capture_events(hass, EVENT_GOAL)
    client = fake_feed.client
    assert client.targets.competitions == {"c1"}
    kickoff = make_match("m5", score=(0, 0), status=Status.LIVE)
    client.push(make_match("m5"), kickoff)
    client.push(advance(kickoff, away=advance(kickoff.away, score=1)))
    client.push(make_match("m6", competition=("c2", "Copa")))
    await hass.async_block_till_done()
    assert [g.data["scoring_team"] for g in goals] == ["Real Madrid"]
    assert hass.states.get("event.laliga_match_event").attributes["event_type"] == "goal"
    # Its sensors show its current match (not the other competition's).
    shown = entry.runtime_data.displayed(next(iter(entry.subentries)))
    assert shown is not None
    assert shown.id == "m5"
    assert hass.states.get("sensor.laliga_away_score").state == "1"


async def test_unload_failure_keeps_feed(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    entry = make_entry()
    await setup_entry(hass, entry)
    with patch.object(hass.config_entries, "async_unload_platforms", return_value=False):
        assert not await hass.config_entries.async_unload(entry.entry_id)
    assert not fake_feed.client.stopped
    assert entry.state is ConfigEntryState.FAILED_UNLOAD


async def test_picker_labels(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    bare = advance(make_match("b1", competition=None), start=None)
    fake_feed.games = [summary(bare)]
    entry = make_entry()
    await setup_entry(hass, entry)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "match"), context={"source": SOURCE_USER}
    )
    [option] = result["data_schema"].schema["match_id"].config["options"]
    # The value is the label (the drop-down shows the value); it stands for the id.
    assert option == {"value": "Mallorca vs Real Madrid", "label": "Mallorca vs Real Madrid"}
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "competition"), context={"source": SOURCE_USER}
    )
    assert result["data_schema"].schema["competition"].config["options"] == []


async def test_feed_runs_as_a_background_task_of_the_entry(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """The real client's connection loop is the entry's task: HA sees it, unload ends it."""
    with patch("custom_components.live_scores.coordinator.FEED_TIMING", FAST):
        result = await configure(
            hass, "sportsapipro", sap_fields(simulator), simulator.sportsapipro_ws_url
        )
        entry = result["result"]
        await until(hass, lambda: entry.runtime_data.connected, "connected")
        [task] = [t for t in entry._background_tasks if t.get_name().endswith("feed")]
        assert task.get_name() == "live_scores sportsapipro feed"
        assert not task.done()
        assert await hass.config_entries.async_unload(entry.entry_id)
    # Ended by `client.stop()` at unload, not cancelled by Home Assistant after it.
    assert task.done()
    assert not task.cancelled()
    assert not simulator.sap.conns or all(c.closed for c in simulator.sap.conns)


async def test_live_and_late_views(hass: HomeAssistant, fake_feed: FakeFeed) -> None:
    """With `delay_scoreboard` the sensors show the match late; `live` is the feed's now."""
    sub = match_subentry("m1")
    data = {**sub["data"], "spoiler_delay": 20, "delay_scoreboard": True}
    late = ConfigSubentryData(**{**sub, "data": MappingProxyType(data)})  # type: ignore[typeddict-item]
    entry = make_entry(subentries=[late])
    await setup_entry(hass, entry)
    coordinator = entry.runtime_data
    [subentry_id] = entry.subentries
    fake_feed.client.push(make_match("m1", score=(0, 0), status=Status.LIVE))
    await hass.async_block_till_done()
    live = coordinator.live(subentry_id)
    assert live is not None
    assert live.status is Status.LIVE
    assert coordinator.displayed(subentry_id) is None  # not yet on the user's screen
    assert len(coordinator.delivery) == 1


async def test_pickers_preselect_nothing_show_local_times_and_store_ids(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    """Nothing is chosen for the user; labels in local time, by time; the id is stored."""
    await hass.config.async_set_time_zone("Europe/Rome")
    late = make_match(
        "m9", ("t9", "Lazio"), ("t8", "Roma"), start=datetime(2026, 4, 4, 18, 45, tzinfo=UTC)
    )
    early = make_match("m10", start=datetime(2026, 4, 4, 9, 0, tzinfo=UTC))
    fake_feed.games = [summary(late), summary(early)]
    entry = make_entry()
    await setup_entry(hass, entry)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "match"), context={"source": SOURCE_USER}
    )
    field = next(key for key in result["data_schema"].schema if key == "match_id")
    assert not isinstance(field, vol.Required)  # the frontend would pick the first option
    labels = [o["label"] for o in result["data_schema"].schema["match_id"].config["options"]]
    assert labels == [
        "Mallorca vs Real Madrid · LaLiga · Sat 4 Apr 11:00",
        "Lazio vs Roma · LaLiga · Sat 4 Apr 20:45",
    ]
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"match_id": labels[1]}
    )
    assert result["data"]["match_id"] == "m9"
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "team"), context={"source": SOURCE_USER}
    )
    labels = [o["label"] for o in result["data_schema"].schema["team"].config["options"]]
    assert labels == [
        "Lazio (football)", "Mallorca (football)", "Real Madrid (football)", "Roma (football)"
    ]  # fmt: skip
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"team": "Lazio (football)"}
    )
    assert (result["title"], result["data"]["team_id"]) == ("Lazio", "t9")
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "team"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], {})
    assert result["errors"] == {"team": "required"}


async def test_states_are_taken_after_the_events_of_their_frame(
    hass: HomeAssistant, fake_feed: FakeFeed
) -> None:
    """`on_matches` only queues: the states are kept once the frame's events fired."""
    entry = make_entry(subentries=[match_subentry("m1")])
    await setup_entry(hass, entry)
    coordinator = entry.runtime_data
    goals = async_capture_events(hass, EVENT_GOAL)
    fake_feed.client.push(make_match("m1", score=(0, 0), status=Status.LIVE))
    await hass.async_block_till_done()
    state = make_match("m1", score=(0, 0), status=Status.LIVE, minute=12)
    coordinator.on_matches([state])
    assert coordinator.followers.matches["m1"] is not state  # queued, not yet taken
    await hass.async_block_till_done()  # a frame without events: the next turn takes it
    assert coordinator.followers.matches["m1"] is state
    seen: list[int | None] = []

    @callback
    def at_the_goal(_event: Event) -> None:
        # Fired before the new state is kept; anything that asks sees the new one.
        seen.append(coordinator.followers.matches["m1"].home.score)
        seen.append(coordinator.matches["m1"].home.score)

    hass.bus.async_listen(EVENT_GOAL, at_the_goal)
    fake_feed.client.push(make_match("m1", score=(1, 0), status=Status.LIVE))
    await hass.async_block_till_done()
    assert len(goals) == 1
    assert seen == [0, 1]
    assert coordinator.followers.matches["m1"].home.score == 1
