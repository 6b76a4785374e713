"""Which account a config entry is: its unique id, from the account, never the key.

SportsAPIPro names the account by its email in `/status`, SoccerFootball.info
(direct) by the `reference` of `/v1/token/status`; the feed hashes either into
`AccountInfo.account_id`. RapidAPI names nobody: the entry is then known by a
hash of its key, which is not an identity — any working key may replace it.
Reauth and reconfigure ask `account_error` whether new credentials fit an entry.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_API_KEY

from .const import CONF_PROVIDER, UNIQUE_ID_ACCOUNT, UNIQUE_ID_KEY
from .feed import account_hash
from .feed.api import AccountInfo

_ACCOUNT_MARK = ":account:"


def key_unique_id(data: Mapping[str, Any]) -> str:
    """The unique id of an entry whose account is unknown: a hash of its key."""
    provider = data[CONF_PROVIDER]
    return UNIQUE_ID_KEY.format(
        provider=provider, key_hash=account_hash(provider, data[CONF_API_KEY])
    )


def unique_id(data: Mapping[str, Any], info: AccountInfo | None) -> str:
    """The unique id for entry data whose validation returned `info`."""
    if info is not None and info.account_id:
        return UNIQUE_ID_ACCOUNT.format(provider=data[CONF_PROVIDER], account_id=info.account_id)
    return key_unique_id(data)


def names_account(unique_id: str | None) -> bool:
    """Whether a unique id names an account (else it is a key's hash, or unknown)."""
    return unique_id is not None and _ACCOUNT_MARK in unique_id


def account_error(
    entry: ConfigEntry, others: Iterable[ConfigEntry], data: Mapping[str, Any], info: AccountInfo
) -> str | None:
    """Why working credentials cannot go into `entry` (among `others`), as a form error key.

    Only two named accounts can differ: where either side is known by a key
    alone (RapidAPI, or an entry not yet told its account), any working key
    is taken.
    """
    new_id = unique_id(data, info)
    if names_account(new_id) and names_account(entry.unique_id) and new_id != entry.unique_id:
        return "wrong_account"
    for other in others:
        if other.entry_id != entry.entry_id and (
            other.unique_id == new_id
            or (
                other.data.get(CONF_PROVIDER) == data[CONF_PROVIDER]
                and other.data.get(CONF_API_KEY) == data[CONF_API_KEY]
            )
        ):
            return "account_in_use"
    return None
