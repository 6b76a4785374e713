"""HTTP control endpoint: POST /_control/<name> with a JSON body, GET state and truth.

POST names: any fault switch (body {"value": ..., "provider": "sap"|"sf"|null}),
any fault action (drop, garbage, truncated, binary, unknown_type, duplicate_last,
stale, revoke_key {"key"}, restore_key {"key"}, expire_tokens, stale_stats {"match"},
replay_on_reconnect {"n"}, poison_update_id {"delta"}, reset), and
advance {"seconds"} (manual clock), push_scores, load {"scenario"}, clear,
variant {"name", "value"}, firehose {"games", "rate"}, stats_lag {"seconds"}.
GET /_control/state, GET /_control/truth.
"""

from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any

from aiohttp import web
import orjson

from .config import Variants

if TYPE_CHECKING:
    from .simulator import Simulator


class Control:
    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/_control/{name}", self.post)
        app.router.add_get("/_control/state", self.state)
        app.router.add_get("/_control/truth", self.truth)

    async def post(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        body: dict[str, Any] = {}
        if request.can_read_body:
            try:
                raw = orjson.loads(await request.read() or b"{}")
            except orjson.JSONDecodeError:
                return web.json_response({"error": "body is not JSON"}, status=400)
            if isinstance(raw, dict):
                body = raw
        try:
            result = await self.dispatch(name, body)
        except (ValueError, KeyError, RuntimeError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)
        return web.json_response({"ok": True, "result": result})

    async def dispatch(self, name: str, body: dict[str, Any]) -> Any:
        sim = self.sim
        if name == "advance":
            events = await sim.advance(float(body.get("seconds", 60)))
            return [asdict(e) for e in events]
        if name == "push_scores":
            await sim.push_scores()
            return True
        if name == "load":
            return [m.key for m in sim.load_scenario(str(body["scenario"]))]
        if name == "clear":
            sim.clear()
            return True
        if name == "variant":
            variant = str(body["name"])
            if variant not in {f.name for f in fields(Variants)}:
                msg = f"unknown variant {variant!r}"
                raise ValueError(msg)
            setattr(sim.variants, variant, body["value"])
            return {variant: body["value"]}
        if name == "stats_lag":
            sim.set_stats_lag(float(body["seconds"]))
            return {"sf_stats_lag": sim.config.sf_stats_lag}
        if name == "firehose":
            sim.start_firehose(int(body.get("games", 100)), float(body.get("rate", 100)))
            return True
        return await sim.faults.run(name, body)

    async def state(self, request: web.Request) -> web.Response:
        sim = self.sim
        return web.json_response(
            {
                "clock": sim.clock.now(),
                "variants": asdict(sim.variants),
                "sf_stats_lag": sim.config.sf_stats_lag,
                "sf_held_frames": len(sim.sf.pending),
                "faults": sim.faults.state(),
                "connections": {
                    "sportsapipro": len(sim.sap.conns),
                    "soccerfootball": len(sim.sf.conns),
                },
                "matches": [
                    {
                        "key": m.key,
                        "sport": m.sport,
                        "sap_id": m.sap_id,
                        "sf_id": m.sf_id if m.football else None,
                        "status": m.status_text,
                        "score": [m.home_score, m.away_score],
                        "minute": m.minute_parts()[0],
                    }
                    for m in sim.matches
                ],
            }
        )

    async def truth(self, request: web.Request) -> web.Response:
        return web.json_response(self.sim.truth.as_dict())
