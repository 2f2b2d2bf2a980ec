"""访问日志不留登录码：即使有人手动运行 ``uvicorn web.main:app``（默认开着访问日志），旧评议卡的
``/login?code=…`` 也不会把登录码写进服务器日志。"""

from __future__ import annotations

import logging

import pytest
from uvicorn.logging import AccessFormatter

from storage.settings import Settings
from web.app import create_app
from web.platform.access_log import ACCESS_LOGGER, RedactCodes


def test_an_access_log_line_of_an_older_card_s_qr_address_never_holds_the_code(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """The attack: read the server's log for sign-in codes. The app installs the filter when it is made;
    the line is logged exactly as uvicorn's HTTP protocol logs it."""
    create_app(settings)
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    access = logging.getLogger(ACCESS_LOGGER)
    for path in (
        "/login?code=ABCDE-FGHJK",
        "/login?lang=zh&code=ABCDEFGHJK&x=1",
        "/receipts?CODE=QRSTU-VWXYZ",
    ):
        access.info('%s - "%s %s HTTP/%s" %d', "10.0.0.7:50312", "GET", path, "1.1", 200)
    lines = [AccessFormatter(use_colors=False).format(record) for record in caplog.records]
    text = "\n".join(lines + [record.getMessage() for record in caplog.records])
    assert len(caplog.records) == 3
    for secret in ("ABCDE", "FGHJK", "ABCDEFGHJK", "QRSTU"):
        assert secret not in text
    assert "/login?code=[redacted]" in text and "lang=zh&code=[redacted]&x=1" in text


def test_the_filter_is_installed_once_however_many_apps_a_process_makes(settings: Settings) -> None:
    create_app(settings)
    create_app(settings)
    filters = logging.getLogger(ACCESS_LOGGER).filters
    assert sum(isinstance(f, RedactCodes) for f in filters) == 1


def test_sanmin_run_keeps_no_access_log_at_all() -> None:
    import inspect

    from sanmin import serving

    assert "access_log=False" in inspect.getsource(serving._serve_with_projection)  # run's web server
