"""结果签名 — published results are exported with an Ed25519 signature anyone can check with the public key.

The signing key is derived from the server secret (never stored in the database); the public key travels
inside the signed document and is printed by ``sanmin verify`` so it can be published beside the results.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def signing_key(secret: bytes) -> Ed25519PrivateKey:
    seed = hmac.new(secret, b"results-signing", hashlib.sha256).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_text(secret: bytes) -> str:
    raw = signing_key(secret).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def canonical(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(payload: dict[str, Any], secret: bytes) -> dict[str, Any]:
    """The document to publish: the payload, its signature and the public key to check it with."""
    signature = signing_key(secret).sign(canonical(payload))
    return {
        "payload": payload,
        "signature": base64.b64encode(signature).decode(),
        "public_key": public_key_text(secret),
    }


def check(document: dict[str, Any], expected_public_key: str | None = None) -> bool:
    """True when the signature covers the payload exactly (and, if given, was made with that key)."""
    key_text = document.get("public_key", "")
    if expected_public_key is not None and key_text != expected_public_key:
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(key_text))
        key.verify(base64.b64decode(document["signature"]), canonical(document["payload"]))
    except (InvalidSignature, KeyError, ValueError, TypeError):
        return False
    return True
