"""The seeded fault campaign: a random match day on a provider's simulator, with faults.

- `matchday.py` builds the day's matches (goals, VAR, red cards, breaks) as a scenario;
- `injector.py` is the fault table: one small async function per kind of fault;
- `hatime.py` moves Home Assistant's timers on a virtual clock that follows the match clock;
- `timing.py` holds the feed's delays the campaign runs the client with;
- `model.py` is what the harness knows: followers, blind windows, bus events seen;
- `compare.py` compares every bus event with the simulator's ground truth;
- `campaign.py` runs it all inside Home Assistant (`run_campaign`).

Run by `tests/integration/test_chaos.py` (CI) and `scripts/bench_chaos` (10,000 faults).
`LIVE_SCORES_CHAOS_SEED` replays a seed, `LIVE_SCORES_CHAOS_FAULTS` sets the number of faults.
"""
