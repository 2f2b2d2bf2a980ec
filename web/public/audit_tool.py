"""核验程序下载 — ``GET /audit/sanmin_audit.zip``: the standalone verifier, for anyone to run on an audit bundle.

The notice page, its PDF and the bundle's README.txt tell everyone to run ``python -m sanmin_audit``; this
is where they get it. The zip holds the installed ``sanmin_audit`` package's source files as they are
(``sanmin_audit/*.py``, sorted, each dated 1980-01-01, so every process and every download gives the same
bytes) and 使用说明.txt. Unzipped into a folder, ``python -m sanmin_audit 审计包.zip --public-key KEY`` runs
there; it needs Python 3.11 or later and ``cryptography`` (``pip install cryptography``).
"""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import sanmin_audit

PATH = "/audit/sanmin_audit.zip"
STAMP = (1980, 1, 1, 0, 0, 0)
HOW = """三民评议 · 独立核验程序 sanmin_audit
====================================

把本压缩包解压到一个文件夹，把下载的公开审计包也放进这个文件夹，在这个文件夹里运行：

    pip install cryptography
    python -m sanmin_audit 审计包.zip --public-key 平台公布的公钥

需要 Python 3.11 或更新版本；唯一要安装的是 cryptography。公钥请从评议结果公示页面或公示文件复制
（公示页面「如何复核」一节印有含公钥的完整命令）。

显示「结论：通过」、退出码为 0，才说明审计包中的每个数字都能从其中的票重新算出，并且结果和检查点都是用
平台公布的公钥签名的。不给 --public-key 时程序不认定通过（退出码 3）：任何人都可以改票、重算后用自己的
密钥重新签名。退出码 1 表示有不一致之处（逐条列出），2 表示命令写错。
"""


@cache
def tool_zip() -> bytes:
    """The package's source files and 使用说明.txt, in a zip with sorted names and fixed dates."""
    folder = Path(sanmin_audit.__file__).parent
    files = {f"sanmin_audit/{p.name}": p.read_bytes() for p in folder.glob("*.py")}
    files["使用说明.txt"] = HOW.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, files[name])
    return out.getvalue()


async def audit_tool(request: Request) -> Response:
    disposition = "attachment; filename=sanmin_audit.zip"
    return Response(tool_zip(), media_type="application/zip", headers={"Content-Disposition": disposition})


routes = [Route(PATH, audit_tool, methods=["GET"])]
