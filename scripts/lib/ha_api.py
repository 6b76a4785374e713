"""Just enough of Home Assistant's HTTP and WebSocket APIs for the dev scripts.

Used by develop_onboard.py, develop_demo.py and screenshots.py (run with .venv-dev's
Python: aiohttp comes with Home Assistant). The state file (.dev/auth.json) holds the
tokens `authenticate` tries.
"""

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp


class ApiError(Exception):
    """An unexpected answer from Home Assistant."""


class Api:
    """Just enough of Home Assistant's HTTP API."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.url = url.rstrip("/")
        self.client_id = f"{self.url}/"  # IndieAuth: a client id is a URL on the same host
        self.token: str | None = None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> Any:
        async with self.session.request(
            method,
            f"{self.url}{path}",
            json=json_body,
            data=form,
            headers=self.headers(),
            timeout=aiohttp.ClientTimeout(total=60),
        ) as resp:
            text = await resp.text()
            if resp.status not in ok:
                raise ApiError(f"{method} {path}: HTTP {resp.status}: {text[:300]}")
            try:
                return json.loads(text) if text else None
            except ValueError:
                return text

    async def status(self, method: str, path: str) -> int:
        async with self.session.request(
            method, f"{self.url}{path}", headers=self.headers()
        ) as resp:
            await resp.read()
            return resp.status

    async def tokens_from_code(self, code: str) -> dict[str, Any]:
        return await self.request(  # type: ignore[no-any-return]
            "POST",
            "/auth/token",
            form={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
        )

    async def tokens_from_refresh(self, refresh_token: str) -> dict[str, Any] | None:
        async with self.session.post(
            f"{self.url}/auth/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": self.client_id,
            },
        ) as resp:
            return await resp.json() if resp.status == 200 else None

    async def login(self, username: str, password: str) -> dict[str, Any]:
        """The frontend's login: a login flow, then the code for tokens."""
        flow = await self.request(
            "POST",
            "/auth/login_flow",
            json_body={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{self.client_id}?auth_callback=1",
            },
        )
        result = await self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json_body={"client_id": self.client_id, "username": username, "password": password},
        )
        if result.get("type") != "create_entry":
            raise ApiError(f"login as {username!r} failed: {result.get('errors') or result}")
        return await self.tokens_from_code(result["result"])

    async def websocket(self, message: dict[str, Any]) -> Any:
        """Send one command over the websocket API and return its result."""
        async with self.session.ws_connect(f"{self.url}/api/websocket") as ws:
            hello = await ws.receive_json()
            if hello.get("type") != "auth_required":
                raise ApiError(f"websocket: unexpected {hello}")
            await ws.send_json({"type": "auth", "access_token": self.token})
            auth = await ws.receive_json()
            if auth.get("type") != "auth_ok":
                raise ApiError(f"websocket: {auth}")
            await ws.send_json({"id": 1, **message})
            while True:
                reply = await ws.receive_json()
                if reply.get("id") == 1 and reply.get("type") == "result":
                    if not reply.get("success"):
                        raise ApiError(f"websocket {message['type']}: {reply.get('error')}")
                    return reply.get("result")


async def save_automation(api: Api, automation_id: str, config: dict[str, Any]) -> str:
    """Create or rewrite an automation and wait until it is on; its entity id."""
    await api.request("POST", f"/api/config/automation/config/{automation_id}", json_body=config)
    # Saving reloads the automation; wait for its entity (and turn it on if it was off).
    for _ in range(100):
        entities = await api.websocket({"type": "config/entity_registry/list"})
        found = next(
            (
                e["entity_id"]
                for e in entities
                if e.get("platform") == "automation" and e.get("unique_id") == automation_id
            ),
            None,
        )
        if found:
            state = await api.request("GET", f"/api/states/{found}", ok=(200, 404))
            if isinstance(state, dict) and state.get("state") == "on":
                return str(found)
            if isinstance(state, dict) and state.get("state") == "off":
                await api.request(
                    "POST", "/api/services/automation/turn_on", json_body={"entity_id": found}
                )
        await asyncio.sleep(0.2)
    raise ApiError(f"the automation {automation_id} did not come up")


def load_state(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())  # type: ignore[no-any-return]
    except OSError, ValueError:
        return {}


def save_state(path: Path, state: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2) + "\n")
    tmp.chmod(0o600)
    tmp.replace(path)


async def authenticate(api: Api, state: dict[str, Any]) -> bool:
    """Use the stored long-lived token, else the refresh token. True if one works."""
    for token in (state.get("long_lived_token"), state.get("access_token")):
        if token:
            api.token = token
            if await api.status("GET", "/api/") == 200:
                return True
    if state.get("refresh_token"):
        tokens = await api.tokens_from_refresh(state["refresh_token"])
        if tokens:
            api.token = state["access_token"] = tokens["access_token"]
            return True
    api.token = None
    return False
