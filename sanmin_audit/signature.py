"""签名 — Ed25519 over the canonical JSON of a document's payload, as the platform signs it."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def canonical(payload: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8 (not \\u escapes)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def valid(document: Any, public_key: str | None = None) -> bool:
    """The document's signature covers its payload, made with its public key (and that key is
    ``public_key`` when given)."""
    if not isinstance(document, dict):
        return False
    key_text = document.get("public_key")
    if not isinstance(key_text, str) or (public_key is not None and key_text != public_key):
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(key_text))
        key.verify(base64.b64decode(document["signature"]), canonical(document.get("payload")))
    except (InvalidSignature, KeyError, ValueError, TypeError):
        return False
    return True
