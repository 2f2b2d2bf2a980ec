"""短信 — sending a volunteer's one-time code: the ``SmsGateway`` interface, the file outbox (演示与测试), and the
choice between it and a provider's HTTP API by settings (``web/platform/sms_tencent.py``).

Settings (environment):

- ``SANMIN_SMS=file`` (default): each message is a JSON line in ``SANMIN_SMS_OUTBOX`` (default
  ``<data dir>/sms-outbox.jsonl``, created 0600): a demo reads the code there;
- ``SANMIN_SMS=tencent``: Tencent Cloud SMS (腾讯云短信) ``SendSms``, with ``TENCENT_SMS_SECRET_ID``,
  ``TENCENT_SMS_SECRET_KEY``, ``TENCENT_SMS_APP_ID`` (SmsSdkAppId), ``TENCENT_SMS_SIGN_NAME``,
  ``TENCENT_SMS_TEMPLATE_ID`` (a template with one parameter, the code), and optionally
  ``TENCENT_SMS_REGION`` (ap-guangzhou) and ``TENCENT_SMS_ENDPOINT`` (https://sms.tencentcloudapi.com).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from evaluation.errors import EvaluationError


class SmsNotSent(EvaluationError):
    code, template = "sms_not_sent", "短信发送失败，请稍后再试"


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    """A mainland number, 11 digits (``evaluation.online_voters.normalise_phone``)."""
    code: str
    """The one-time code, the template's only parameter."""


class SmsGateway(Protocol):
    """Sends one message or raises ``SmsNotSent``. Blocking: call it from a thread."""

    def send(self, message: SmsMessage) -> None: ...


class FileOutbox:
    """演示与测试 — every message a JSON line in one file; nothing leaves the machine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def send(self, message: SmsMessage) -> None:
        line = json.dumps({"phone": message.phone, "code": message.code}, ensure_ascii=False) + "\n"
        with self._lock:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with open(descriptor, "a", encoding="utf-8") as out:
                out.write(line)

    def last_code(self, phone: str) -> str | None:
        """The code sent last to ``phone`` (what a demo or a test reads instead of a phone)."""
        if not self.path.exists():
            return None
        found = None
        for line in self.path.read_text(encoding="utf-8").splitlines():
            sent = json.loads(line)
            if sent["phone"] == phone:
                found = sent["code"]
        return found


def gateway_from_environment(data_dir: Path) -> SmsGateway:
    """The gateway the settings name (see the module's docstring)."""
    kind = os.environ.get("SANMIN_SMS", "file")
    if kind == "tencent":
        from web.platform.sms_tencent import TencentSms

        return TencentSms.from_environment()
    if kind != "file":
        raise ValueError(f"SANMIN_SMS={kind!r}: file or tencent")
    return FileOutbox(Path(os.environ.get("SANMIN_SMS_OUTBOX") or data_dir / "sms-outbox.jsonl"))
