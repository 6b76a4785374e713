"""The feed's delays in the campaign, shared by the campaign and the injector."""

from dataclasses import replace

from tests.integration.sim_helpers import FAST

# Pings often, so that a forced token renewal is noticed at once; reconnects at once.
TIMING = replace(FAST, ping_interval=0.05, backoff_min=0.002, backoff_max=0.01)
