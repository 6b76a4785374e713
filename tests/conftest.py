"""Fixtures shared by every test suite: the feed simulator (no Home Assistant here)."""

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.simulator import SimConfig, Simulator


@pytest_asyncio.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[Simulator]:
    """A started simulator on 127.0.0.1 with a manual clock and no matches loaded.

    Sockets are enabled for the test (pytest-socket still only allows 127.0.0.1).

    Load a scenario and drive time yourself:
        simulator.load_scenario("goals"); await simulator.advance(60)
    Change `simulator.variants.<name>` or `simulator.faults` as the test needs.
    """
    sim = Simulator(SimConfig(manual_clock=True))
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()
