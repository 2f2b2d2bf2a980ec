"""The SMS gateways: Tencent Cloud's SendSms over real HTTP to a fake provider that checks the TC3-HMAC-SHA256
signature as the provider's documentation describes it (written here again, not imported), and the file
outbox of demos and tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from web.platform.sms import FileOutbox, SmsMessage, SmsNotSent
from web.platform.sms_tencent import TencentSms

SECRET_ID, SECRET_KEY = "AKIDtestsecretid0000", "test-secret-key-0000"


def documented_signature(headers: Any, body: bytes, secret_key: str) -> str:
    """TencentCloud API 3.0 "Signature v3", step by step from the documentation."""
    signed = headers["Authorization"].split("SignedHeaders=")[1].split(",")[0]
    canonical_headers = "".join(
        f"{name}:{headers[name].strip().lower() if name == 'x-tc-action' else headers[name].strip()}\n"
        for name in signed.split(";")
    )
    canonical_request = f"POST\n/\n\n{canonical_headers}\n{signed}\n{hashlib.sha256(body).hexdigest()}"
    timestamp = headers["X-TC-Timestamp"]
    date = datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d")
    string_to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n"
        + hashlib.sha256(canonical_request.encode()).hexdigest()
    )
    secret_date = hmac.new(("TC3" + secret_key).encode(), date.encode(), hashlib.sha256).digest()
    secret_service = hmac.new(secret_date, b"sms", hashlib.sha256).digest()
    secret_signing = hmac.new(secret_service, b"tc3_request", hashlib.sha256).digest()
    return hmac.new(secret_signing, string_to_sign.encode(), hashlib.sha256).hexdigest()


class FakeTencent(BaseHTTPRequestHandler):
    """Answers SendSms as the provider does: an ``Error`` when the signature is wrong, else a send status."""

    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 — the standard library's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        authorization = self.headers["Authorization"]
        given = authorization.rsplit("Signature=", 1)[1]
        credential = authorization.split("Credential=")[1].split("/")[0]
        right = credential == SECRET_ID and hmac.compare_digest(
            given, documented_signature(self.headers, body, SECRET_KEY)
        )
        if not right:
            answer = {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"}}}
        else:
            sent = json.loads(body)
            FakeTencent.received.append(
                {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": sent}
            )
            number = sent["PhoneNumberSet"][0]
            status = {"SerialNo": "2645:1", "PhoneNumber": number, "Code": "Ok", "Message": "send success"}
            answer = {"Response": {"SendStatusSet": [status], "RequestId": "a0aabda6"}}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def provider() -> Iterator[str]:
    FakeTencent.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTencent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def gateway(endpoint: str, secret_key: str = SECRET_KEY) -> TencentSms:
    return TencentSms(SECRET_ID, secret_key, "1400000000", "三民评议", "123456", endpoint=endpoint)


def test_the_tencent_gateway_sends_a_signed_send_sms_the_provider_accepts(provider: str) -> None:
    gateway(provider).send(SmsMessage("13900000021", "482913"))
    (sent,) = FakeTencent.received
    assert sent["body"] == {
        "PhoneNumberSet": ["+8613900000021"],
        "SmsSdkAppId": "1400000000",
        "SignName": "三民评议",
        "TemplateId": "123456",
        "TemplateParamSet": ["482913"],
    }
    assert sent["headers"]["x-tc-action"] == "SendSms" and sent["headers"]["x-tc-version"] == "2021-01-11"
    assert sent["headers"]["x-tc-region"] == "ap-guangzhou"


def test_a_wrong_secret_key_is_refused_by_the_provider_and_said(provider: str) -> None:
    with pytest.raises(SmsNotSent) as refused:
        gateway(provider, secret_key="not-the-key").send(SmsMessage("13900000021", "482913"))
    assert "AuthFailure.SignatureFailure" in refused.value.message
    assert FakeTencent.received == []


def test_a_provider_that_cannot_be_reached_is_a_refusal_not_a_crash() -> None:
    with pytest.raises(SmsNotSent):
        gateway("http://127.0.0.1:9").send(SmsMessage("13900000021", "482913"))


def test_the_file_outbox_keeps_each_code_for_its_phone(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path / "sms.jsonl")
    outbox.send(SmsMessage("13900000021", "111111"))
    outbox.send(SmsMessage("13900000022", "222222"))
    outbox.send(SmsMessage("13900000021", "333333"))
    assert (outbox.last_code("13900000021"), outbox.last_code("13900000023")) == ("333333", None)
    assert (tmp_path / "sms.jsonl").stat().st_mode & 0o077 == 0
