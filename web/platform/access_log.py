"""访问日志脱敏 — if uvicorn's access log is ever turned on, no sign-in code or receipt code reaches it.

``sanmin run`` starts uvicorn without an access log (docs/operations.md says why), and the cards' QR codes
carry the code in the URL's fragment, which browsers never send. But cards printed earlier open
``/login?code=…``, and whoever runs ``uvicorn web.main:app`` by hand gets uvicorn's access log by default:
this filter, on the ``uvicorn.access`` logger, rewrites every ``code=`` value in a logged line to
``code=[redacted]`` before any handler sees it.
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
CODE = re.compile(r"(?i)(\bcode=)[^&\s\"#]*")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return CODE.sub(REDACTED, text)


class RedactCodes(logging.Filter):
    """Redacts ``code=…`` in the message and in each of its string arguments (uvicorn passes the path
    and query as an argument: ``'%s - "%s %s HTTP/%s" %d'``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


def install() -> None:
    """Once per process (a second app in the same process adds nothing)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactCodes) for f in logger.filters):
        logger.addFilter(RedactCodes())
