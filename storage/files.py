"""报告附件 — report files and the evidence files of opinion answers (证明材料), kept in their own table by
content hash; events carry only the hash."""

from __future__ import annotations

import hashlib

from storage.image_check import readable_image
from storage.pdf_check import readable_pdf
from storage.side_table import SideTable

SCHEMA = """
-- Not a read model: the only copy of the files' bytes (the events carry their sha256, size and name).
-- A rebuild never drops it; a backup must include it (docs/operations.md).
CREATE TABLE IF NOT EXISTS report_files (
    sha256 text PRIMARY KEY,
    content bytea NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
)"""


class FileStore(SideTable):
    """Content-addressed and append-only: storing the same bytes twice changes nothing."""

    readable_pdf = staticmethod(readable_pdf)
    readable_image = staticmethod(readable_image)

    SCHEMA = SCHEMA

    def put(self, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO report_files (sha256, content) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (digest, content),
            )
        return digest

    def get(self, digest: str) -> bytes | None:
        with self._connect() as conn:
            row = conn.execute("SELECT content FROM report_files WHERE sha256 = %s", (digest,)).fetchone()
        return bytes(row[0]) if row else None
