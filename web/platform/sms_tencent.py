"""腾讯云短信 — Tencent Cloud SMS's ``SendSms`` (API 3.0, version 2021-01-11), signed with TC3-HMAC-SHA256 as
its public documentation describes ("Signature v3"):

1. the canonical request: method, ``/``, the empty query, the canonical headers
   (``content-type:application/json; charset=utf-8\\nhost:<host>\\nx-tc-action:sendsms\\n``), the signed
   headers (``content-type;host;x-tc-action``) and the hex SHA-256 of the body, joined by newlines;
2. the string to sign: ``TC3-HMAC-SHA256``, the timestamp, ``<UTC date>/sms/tc3_request`` and the hex SHA-256
   of the canonical request;
3. the signing key: HMAC-SHA256 chained over ``"TC3" + SecretKey`` → date → ``sms`` → ``tc3_request``;
4. ``Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<date>/sms/tc3_request, SignedHeaders=…,
   Signature=<hex HMAC of the string to sign>``, with ``X-TC-Action``, ``X-TC-Version``, ``X-TC-Timestamp``
   and ``X-TC-Region`` headers.

Standard library only (urllib): one request per code, from a worker thread.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from web.platform.sms import SmsMessage, SmsNotSent

SERVICE = "sms"
ACTION = "SendSms"
VERSION = "2021-01-11"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host;x-tc-action"
TIMEOUT = 10.0


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tc3_signature(secret_key: str, host: str, body: bytes, timestamp: int) -> str:
    """The hex signature of a POST of ``body`` to ``host`` at ``timestamp`` (steps 1-3 above)."""
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{CONTENT_TYPE}\nhost:{host}\nx-tc-action:{ACTION.lower()}\n",
            SIGNED_HEADERS,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{SERVICE}/tc3_request"
    to_sign = "\n".join(
        ["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), SERVICE), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class TencentSms:
    secret_id: str
    secret_key: str
    app_id: str
    sign_name: str
    template_id: str
    region: str = "ap-guangzhou"
    endpoint: str = "https://sms.tencentcloudapi.com"

    @classmethod
    def from_environment(cls) -> TencentSms:
        env = os.environ
        try:
            return cls(
                env["TENCENT_SMS_SECRET_ID"],
                env["TENCENT_SMS_SECRET_KEY"],
                env["TENCENT_SMS_APP_ID"],
                env["TENCENT_SMS_SIGN_NAME"],
                env["TENCENT_SMS_TEMPLATE_ID"],
                env.get("TENCENT_SMS_REGION", "ap-guangzhou"),
                env.get("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com"),
            )
        except KeyError as missing:
            raise ValueError(f"SANMIN_SMS=tencent needs {missing.args[0]}") from None

    def request(self, message: SmsMessage, timestamp: int) -> urllib.request.Request:
        """The signed request (step 4) for one message."""
        body = json.dumps(
            {
                "PhoneNumberSet": [f"+86{message.phone}"],
                "SmsSdkAppId": self.app_id,
                "SignName": self.sign_name,
                "TemplateId": self.template_id,
                "TemplateParamSet": [message.code],
            },
            ensure_ascii=False,
        ).encode()
        host = urlsplit(self.endpoint).netloc
        date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
        signature = tc3_signature(self.secret_key, host, body, timestamp)
        headers = {
            "Authorization": f"TC3-HMAC-SHA256 Credential={self.secret_id}/{date}/{SERVICE}/tc3_request, "
            f"SignedHeaders={SIGNED_HEADERS}, Signature={signature}",
            "Content-Type": CONTENT_TYPE,
            "Host": host,
            "X-TC-Action": ACTION,
            "X-TC-Version": VERSION,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": self.region,
        }
        return urllib.request.Request(self.endpoint, data=body, headers=headers, method="POST")

    def send(self, message: SmsMessage) -> None:
        """Sent when the answer's ``SendStatusSet`` says ``Ok`` for the number; ``SmsNotSent`` otherwise."""
        try:
            with urllib.request.urlopen(self.request(message, int(time.time())), timeout=TIMEOUT) as answer:
                data = json.loads(answer.read())
        except (urllib.error.URLError, TimeoutError, ValueError) as failed:
            raise SmsNotSent(detail=type(failed).__name__) from None
        response = data.get("Response") or {}
        if "Error" in response:
            raise SmsNotSent(detail=str(response["Error"].get("Code", "")))
        statuses = response.get("SendStatusSet") or []
        if not statuses or statuses[0].get("Code") != "Ok":
            raise SmsNotSent(detail=str(statuses[0].get("Code", "")) if statuses else "")
