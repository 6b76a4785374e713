"""Feed simulator: SportsAPIPro and SoccerFootball.info over loopback WebSockets.

    from tests.simulator import Simulator, SimConfig
    sim = Simulator(SimConfig(manual_clock=True))
    await sim.start()
    sim.load_scenario("goals")
    await sim.advance(60)
    ...
    await sim.stop()

See README.md in this folder.
"""

from .config import SimConfig, Variants
from .conn import FaultSwitches
from .engine import MatchState
from .faults import Faults
from .scenario import Scenario, load_scenario, scenario_names
from .simulator import Simulator
from .truth import Truth, TruthEvent, TruthFault, TruthGoal

__all__ = [
    "FaultSwitches",
    "Faults",
    "MatchState",
    "Scenario",
    "SimConfig",
    "Simulator",
    "Truth",
    "TruthEvent",
    "TruthFault",
    "TruthGoal",
    "Variants",
    "load_scenario",
    "scenario_names",
]
