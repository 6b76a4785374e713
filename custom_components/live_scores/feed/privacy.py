"""What never leaves the feed in clear: keys and tokens in URLs, account identities."""

import hashlib
from typing import Any


def redact(url: Any) -> str:
    """A URL without its query string (where keys and tokens travel)."""
    text = str(url)
    return text.split("?", 1)[0]


def account_hash(provider: str, value: str) -> str:
    """A stable id derived from `value` (an account's address, or a key) that hides it."""
    return hashlib.sha256(f"{provider}:{value}".encode()).hexdigest()[:16]
