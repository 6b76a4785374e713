"""Helpers for scripts/develop, run with .venv-dev's Python (aiohttp comes with HA).

Subcommands (all talk to 127.0.0.1 only):

  seed-storage CONFIG PORT       make .storage say: serve on 127.0.0.1:PORT, loopback adapter only
  port-free PORT                 exit 1 when something already listens on PORT
  wait-port PORT --pid P         wait until PORT accepts connections (exit 1 if P dies)
  wait-http URL --pid P          wait until Home Assistant answers on URL (exit 1 if P dies)
  onboard URL --state F --credentials F --username U --password P
                                 finish onboarding through the HTTP API (first start),
                                 or log in again (later starts); keeps a refresh token and
                                 a long-lived access token in the state file
  config-entry URL --state F [--simulator-log F --simulator-port N]
                                 HOOK: pre-create a Live Scores config entry through the
                                 config-flow REST API (a no-op while the flow isn't ready)

The state file (.dev/auth.json) holds: url, client_id, username, password,
refresh_token, access_token (short-lived), long_lived_token.
"""

import argparse
import asyncio
import json
import os
from pathlib import Path
import socket
import sys
import time
from typing import Any

import aiohttp
import develop_demo
from ha_api import Api, ApiError, authenticate, load_state, save_state

LLAT_NAME = "scripts/develop"


def note(message: str) -> None:
    """Progress for the developer (stderr, so stdout stays machine-readable)."""
    print(f"develop: {message}", file=sys.stderr, flush=True)


def pid_alive(pid: int | None) -> bool:
    """True while the process runs (a zombie counts as gone)."""
    if not pid:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # Linux: a zombie has exited already
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --------------------------------------------------------------------------- waiting


def cmd_port_free(args: argparse.Namespace) -> int:
    return 1 if port_open(args.port) else 0


def cmd_wait_port(args: argparse.Namespace) -> int:
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if port_open(args.port):
            return 0
        if not pid_alive(args.pid):
            return 1
        time.sleep(0.2)
    note(f"nothing listens on port {args.port} after {args.timeout:.0f} s")
    return 1


async def _wait_http(url: str, pid: int | None, limit: float) -> int:
    deadline = time.monotonic() + limit
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if not pid_alive(pid):
                return 1
            try:
                # Served by the frontend, which is set up before the server listens.
                async with session.get(
                    f"{url}/manifest.json", timeout=aiohttp.ClientTimeout(total=5)
                ) as resp:
                    if resp.status == 200:
                        return 0
            except aiohttp.ClientError, TimeoutError:
                pass
            await asyncio.sleep(0.3)
    note(f"Home Assistant did not answer on {url} within {limit:.0f} s")
    return 1


def cmd_wait_http(args: argparse.Namespace) -> int:
    return asyncio.run(_wait_http(args.url, args.pid, args.timeout))


# --------------------------------------------------------------------------- storage
#
# Since Home Assistant 2026.x, `http:` in configuration.yaml is only migrated once into
# .storage/http, as a "pending" trial that is reverted (to the default: all interfaces,
# port 8123) and restarted unless confirmed within five minutes; later starts ignore the
# YAML. And any aiohttp client session creates a zeroconf instance (mDNS resolver) on
# the network integration's adapters. So, before every start, the dev instance's
# storage is made to say: serve on 127.0.0.1:PORT, use the loopback adapter only.


def _read_store(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())  # type: ignore[no-any-return]
    except OSError, ValueError:
        return {}


def _write_store(path: Path, version: int, minor_version: int, key: str, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".develop-tmp")
    tmp.write_text(
        json.dumps(
            {"version": version, "minor_version": minor_version, "key": key, "data": data},
            indent=2,
        )
    )
    tmp.chmod(0o600)
    tmp.replace(path)


def loopback_adapter() -> str:
    """The name of the adapter with 127.0.0.1 (lo on Linux, lo0 on macOS)."""
    import ifaddr  # noqa: PLC0415 (comes with Home Assistant)

    for adapter in ifaddr.get_adapters():
        if any(ip.ip == "127.0.0.1" for ip in adapter.ips):
            return str(adapter.nice_name)
    return "lo"


def cmd_seed_storage(args: argparse.Namespace) -> int:
    storage = Path(args.config) / ".storage"
    host = ["127.0.0.1"]

    http_path = storage / "http"
    http = _read_store(http_path).get("data") or {}
    stable = http.get("stable") or {}
    if not (
        stable.get("server_host") == host
        and stable.get("server_port") == args.port
        and http.get("pending") is None
        and http.get("yaml_migration_done")
    ):
        from homeassistant.components.http import config as http_config  # noqa: PLC0415
        from homeassistant.util import dt as dt_util  # noqa: PLC0415

        base = {
            k: v for k, v in stable.items() if k not in ("created_at", "error", "error_message")
        }
        if _read_store(http_path).get("version") != http_config.STORAGE_VERSION:
            base = {}
        conf = http_config.HTTP_STORAGE_SCHEMA(
            {**base, "server_host": host, "server_port": args.port}
        )
        conf = {
            **conf,
            "created_at": dt_util.utcnow().isoformat(),
            "error": None,
            "error_message": None,
        }
        _write_store(
            http_path,
            http_config.STORAGE_VERSION,
            http_config.STORAGE_MINOR_VERSION,
            http_config.STORAGE_KEY,
            {"stable": conf, "pending": None, "yaml_migration_done": True},
        )
        note(f"storage: Home Assistant serves on {host[0]}:{args.port}")

    if not (storage / "onboarding").exists():
        seed_ignored_entries(storage)

    net_path = storage / "core.network"
    adapters = [loopback_adapter()]
    if (_read_store(net_path).get("data") or {}).get("configured_adapters") != adapters:
        _write_store(net_path, 1, 1, "core.network", {"configured_adapters": adapters})
        note(f"storage: network adapters: {adapters[0]} only")
    return 0


def seed_ignored_entries(storage: Path) -> None:
    """Before the first start: ignored entries for ONBOARDING_EXTRAS_TO_IGNORE.

    Onboarding's core_config step starts a config flow for each of a few integrations;
    one that allows a single entry aborts it when an ignored entry exists. So Radio
    Browser is never set up (offline, it would stay "failed to set up", retrying). The
    store is written in its version 1.1 format, which Home Assistant migrates on load.
    """
    path = storage / "core.config_entries"
    if path.exists():
        return
    from homeassistant.util.ulid import ulid_now  # noqa: PLC0415

    entries = [
        {
            "entry_id": ulid_now(),
            "version": 1,
            "domain": domain,
            "title": title,
            "data": {},
            "source": "ignore",
            "unique_id": None,
        }
        for domain, title in ONBOARDING_EXTRAS_TO_IGNORE.items()
    ]
    _write_store(path, 1, 1, "core.config_entries", {"entries": entries})
    note(f"storage: onboarding skips {', '.join(ONBOARDING_EXTRAS_TO_IGNORE)} (internet only)")


# --------------------------------------------------------------------------- onboarding


# Finishing the core_config step sets up a few integrations the way a new installation
# gets them. Two only talk to the internet: Radio Browser (one entry at most) is kept
# from being created by an ignored entry seeded before the first start
# (seed_ignored_entries); Google Translate's entry is removed once it appears, and Radio
# Browser's too if it appears all the same. The rest (shopping list; Met skips the
# default location) stay.
ONBOARDING_EXTRAS_TO_IGNORE = {"radio_browser": "Radio Browser"}
ONBOARDING_EXTRAS_TO_DROP = ("radio_browser", "google_translate")


async def drop_onboarding_extras(api: Api, wait: float) -> None:
    """Remove the entries onboarding created for ONBOARDING_EXTRAS_TO_DROP.

    They are created in the background after the core_config step: right after it,
    wait up to `wait` seconds for those no ignored entry keeps out; on later starts
    one look suffices.
    """
    deadline = time.monotonic() + wait
    left = set(ONBOARDING_EXTRAS_TO_DROP)
    while True:
        for entry in await api.request("GET", "/api/config/config_entries/entry"):
            if entry.get("domain") in left and entry.get("source") == "onboarding":
                await api.request(
                    "DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}", ok=(200, 404)
                )
                note(
                    f"onboarding: removed the {entry['domain']} entry onboarding adds (internet only)"
                )
                left.discard(entry["domain"])
        if left <= ONBOARDING_EXTRAS_TO_IGNORE.keys() or time.monotonic() >= deadline:
            return
        await asyncio.sleep(0.5)


def host_core_config() -> dict[str, str]:
    """Location name, and this machine's time zone and country (from the locale)."""
    config = {"location_name": "Live Scores (dev)"}
    link = os.path.realpath("/etc/localtime")
    if "/zoneinfo/" in link:
        config["time_zone"] = link.split("/zoneinfo/", 1)[1]
    if os.environ.get("TZ", "").count("/") == 1:
        config["time_zone"] = os.environ["TZ"]
    locale = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    region = locale.split(".")[0].partition("_")[2]
    config["country"] = region.upper() if len(region) == 2 else "US"
    return config


async def _onboard(args: argparse.Namespace) -> int:
    state_path = Path(args.state)
    state = load_state(state_path)
    async with aiohttp.ClientSession() as session:
        api = Api(session, args.url)
        # Once onboarded, Home Assistant no longer serves the onboarding views.
        answer = await api.request("GET", "/api/onboarding", ok=(200, 404))
        if isinstance(answer, list):
            steps = {s["step"]: s["done"] for s in answer}
        else:
            steps = dict.fromkeys(("user", "core_config", "analytics", "integration"), True)
        fresh = not any(steps.values())

        if not steps.get("user"):
            note(f"onboarding: creating the user {args.username!r}")
            # The state of an earlier instance is void now.
            state = {"username": args.username, "password": args.password}
            answer = await api.request(
                "POST",
                "/api/onboarding/users",
                json_body={
                    "client_id": api.client_id,
                    "name": args.name,
                    "username": args.username,
                    "password": args.password,
                    "language": args.language,
                },
            )
            tokens = await api.tokens_from_code(answer["auth_code"])
        elif all(steps.values()) and await authenticate(api, state):
            tokens = None
        else:  # (the onboarding integration step needs a token from a password login)
            username = state.get("username", args.username)
            password = state.get("password", args.password)
            try:
                tokens = await api.login(username, password)
            except ApiError as err:
                note(
                    f"{err}\ndevelop: this configuration was onboarded with another user; "
                    "`scripts/develop --reset` starts over"
                )
                return 1
            state.update(username=username, password=password)
        if tokens:
            api.token = tokens["access_token"]
            state.update(access_token=tokens["access_token"], refresh_token=tokens["refresh_token"])
        state.update(url=api.url, client_id=api.client_id)
        save_state(state_path, state)

        # The remaining steps, as the frontend does them.
        if not steps.get("core_config"):
            # What the frontend's onboarding sets first (else: a "country not configured" repair).
            await api.websocket({"type": "config/core/update", **host_core_config()})
            await api.request("POST", "/api/onboarding/core_config", json_body={})
        if not steps.get("analytics"):
            # Analytics stay off: nothing is sent unless the preferences opt in.
            await api.request("POST", "/api/onboarding/analytics", json_body={})
        if not steps.get("integration"):
            await api.request(
                "POST",
                "/api/onboarding/integration",
                json_body={
                    "client_id": api.client_id,
                    "redirect_uri": f"{api.client_id}?auth_callback=1",
                },
            )
        if not all(steps.values()):
            note("onboarding: done" if fresh else "onboarding: finished the remaining steps")
        await drop_onboarding_extras(api, wait=30 if not steps.get("core_config") else 0)

        # A long-lived access token, for later runs and for curl.
        llat = state.get("long_lived_token")
        if not llat or api.token != llat:
            llat = await api.websocket(
                {"type": "auth/long_lived_access_token", "client_name": LLAT_NAME, "lifespan": 3650}
            )
            state["long_lived_token"] = llat
            save_state(state_path, state)
        api.token = llat
        if await api.status("GET", "/api/") != 200:
            note("the long-lived access token does not work")
            return 1

    write_credentials(Path(args.credentials), state)
    return 0


def write_credentials(path: Path, state: dict[str, Any]) -> None:
    """The human-readable copy: .dev/credentials.txt."""
    path.write_text(
        f"url: {state['url']}\nusername: {state['username']}\npassword: {state['password']}\n"
        f"token: {state['long_lived_token']}\n"
        f"# e.g. curl -H \"Authorization: Bearer $(sed -n 's/^token: //p' {path})\" {state['url']}/api/\n"
    )
    path.chmod(0o600)


def cmd_onboard(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_onboard(args))
    except (ApiError, aiohttp.ClientError, TimeoutError) as err:
        note(f"onboarding failed: {err}")
        return 1


# --------------------------------------------------------------------------- HOOK: config entry
#
# Runs after onboarding on every start; idempotent. Creates one Live Scores config
# entry through the same REST API the frontend uses:
#
#   POST /api/config/config_entries/flow            {"handler": "live_scores", "show_advanced_options": true}
#   POST /api/config/config_entries/flow/<flow_id>  <the step's user input>   (repeat per form step)
#
async def _config_entry(args: argparse.Namespace) -> int:
    if args.simulator_port is None:
        note("config entry hook: no simulator running; add an entry in the UI")
        return 0
    state = load_state(Path(args.state))
    async with aiohttp.ClientSession() as session:
        api = Api(session, args.url)
        if not await authenticate(api, state):
            note("config entry hook: no working token in .dev/auth.json; skipped")
            return 0
        await develop_demo.set_up(api, args.simulator_port, note)
    return 0


def cmd_config_entry(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_config_entry(args))
    except (ApiError, aiohttp.ClientError, TimeoutError) as err:
        note(f"config entry hook failed (Home Assistant keeps running): {err}")
        return 0


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(prog="develop_onboard")
    sub = parser.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("seed-storage")
    p.add_argument("config")
    p.add_argument("port", type=int)
    p.set_defaults(func=cmd_seed_storage)

    p = sub.add_parser("port-free")
    p.add_argument("port", type=int)
    p.set_defaults(func=cmd_port_free)

    p = sub.add_parser("wait-port")
    p.add_argument("port", type=int)
    p.add_argument("--pid", type=int)
    p.add_argument("--timeout", type=float, default=60)
    p.set_defaults(func=cmd_wait_port)

    p = sub.add_parser("wait-http")
    p.add_argument("url")
    p.add_argument("--pid", type=int)
    p.add_argument("--timeout", type=float, default=600)
    p.set_defaults(func=cmd_wait_http)

    p = sub.add_parser("onboard")
    p.add_argument("url")
    p.add_argument("--state", required=True)
    p.add_argument("--credentials", required=True)
    p.add_argument("--username", default="dev")
    p.add_argument("--password", default="dev-password-123")
    p.add_argument("--name", default="Developer")
    p.add_argument("--language", default="en")
    p.set_defaults(func=cmd_onboard)

    p = sub.add_parser("config-entry")
    p.add_argument("url")
    p.add_argument("--state", required=True)
    p.add_argument("--simulator-log")
    p.add_argument("--simulator-port", type=int)
    p.set_defaults(func=cmd_config_entry)

    args = parser.parse_args()
    try:
        return int(args.func(args))
    except KeyboardInterrupt:  # Ctrl-C while waiting: scripts/develop cleans up
        return 130


if __name__ == "__main__":
    sys.exit(main())
