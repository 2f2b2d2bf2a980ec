"""Signed results: the signature covers every published number, and only the server's key makes it."""

from __future__ import annotations

from storage.signing import check, public_key_text, sign

SECRET = b"a test secret that is long enough"


def test_a_signed_document_checks_and_any_change_breaks_it() -> None:
    document = sign({"round": "r", "results": {"fgw": {"score": "60.000", "rank": 1}}}, SECRET)
    assert check(document, public_key_text(SECRET))
    document["payload"]["results"]["fgw"]["score"] = "61.000"
    assert not check(document)


def test_a_document_signed_with_another_key_is_refused_against_the_published_key() -> None:
    forged = sign({"round": "r"}, b"another secret, not the server's")
    assert check(forged)
    assert not check(forged, public_key_text(SECRET))


def test_a_malformed_document_is_refused_not_crashed() -> None:
    assert not check({"payload": {}, "signature": "not base64!!", "public_key": "x"})
    assert not check({})
