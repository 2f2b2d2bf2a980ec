"""证明材料 — the optional evidence file a department attaches to its answer to an opinion (a PDF, or a PNG or
JPEG photo), at most 10 MB. Like a report's attachment its bytes are not in the events: they are kept once, by
their sha256, in the file store (``storage.files``), and the answer records the hash, size, name and type.

What the domain can tell of a file is here: a name whose extension says PDF, PNG or JPEG, a size within the
limit, and the bytes starting as that type does. Whether the rest really is that type is the file store's
check (``FilePort.readable_pdf`` and ``readable_image``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from evaluation.errors import InvalidInput

EVIDENCE_LIMIT = 10 * 1024 * 1024
"""证明材料 at most 10 MB."""
NAME_LIMIT = 200

TYPES = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}
"""Extension → (media type, the bytes such a file starts with)."""


@dataclass(frozen=True)
class Evidence:
    """证明材料 as an answer records it."""

    sha256: str
    size: int
    name: str
    media_type: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(str(data["sha256"]), int(data["size"]), str(data["name"]), str(data["media_type"]))


def file_name(raw: str) -> str:
    """The name without any folder a browser sent with it."""
    return raw.replace("\\", "/").rsplit("/", 1)[-1].strip()


def claimed_type(name: str, content: bytes) -> str:
    """The media type the file claims by its extension, once its size and first bytes agree; else refused."""
    if not name or len(name) > NAME_LIMIT:
        raise InvalidInput(f"证明材料须有文件名（最多 {NAME_LIMIT} 字）")
    if not content:
        raise InvalidInput("证明材料是空文件")
    if len(content) > EVIDENCE_LIMIT:
        raise InvalidInput(f"证明材料不能超过 {EVIDENCE_LIMIT // (1024 * 1024)} MB")
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in TYPES:
        raise InvalidInput(f"证明材料「{name}」须是 PDF、PNG 或 JPG 文件")
    media_type, magic = TYPES[extension]
    if not content.startswith(magic):
        raise InvalidInput(f"证明材料「{name}」的内容与扩展名不符，请上传真正的 {extension[1:].upper()} 文件")
    return media_type
