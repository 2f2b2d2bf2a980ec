"""密钥文件 — the server's secrets, each in its own file that only the platform's user can read.

They live in a key folder (``SANMIN_KEY_DIR``, else ``keys/`` in the data folder), never in the database's
own folder: a copy of the database or of its folder carries none of them. Each file is created atomically
with mode 0600 (written to a private temporary file, then linked under its name, which fails if another
process was first), so it is never readable by others, never seen half-written, and two processes
starting at once agree on one value.

- ``server.key``: the chain's key, login codes' keyed hashes, the session cookies' key, the signing key.
- ``pseudonym.key``: the ballots' pseudonyms only. Deleting it once a round's results are locked leaves
  nobody, the server included, able to link that round's ballots to people; a fresh one is made at the
  next start for later rounds.
- ``database.key`` / ``database-admin.key``: the embedded PostgreSQL's passwords (storage/embedded.py).

A data folder of the earlier layout kept one ``secret.key`` beside the database: it moves into the key
folder as both ``server.key`` and ``pseudonym.key`` (the ballots already recorded were derived from it).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

LEGACY = "secret.key"


def key_folder(data_dir: Path) -> Path:
    folder = Path(os.environ.get("SANMIN_KEY_DIR") or data_dir / "keys")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def read_or_create(path: Path, created: list[Path] | None = None) -> str:
    """The key in ``path``; a new random one if there is none yet (then added to ``created``)."""
    if not path.exists() and write_new(path, secrets.token_hex(32)) and created is not None:
        created.append(path)
    value = path.read_text().strip()
    if len(value) < 16:
        raise ValueError(f"{path}: the key is shorter than 16 characters")
    return value


def write_new(path: Path, value: str) -> bool:
    """Creates ``path`` holding ``value``, mode 0600, all at once; False if it exists already."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as file:
            file.write(value + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)


def load_secrets(data_dir: Path, created: list[Path] | None = None) -> tuple[bytes, bytes | None]:
    """(server secret, pseudonym secret): ``SANMIN_SECRET`` and ``SANMIN_PSEUDONYM_SECRET`` if set (the
    second defaults to the first), else the key folder's files; those made just now are added to
    ``created`` (storage/key_check.py: never into a store that has events)."""
    if value := os.environ.get("SANMIN_SECRET"):
        return value.encode(), os.environ.get("SANMIN_PSEUDONYM_SECRET", "").encode() or None
    folder = key_folder(data_dir)
    move_legacy(data_dir / LEGACY, folder)
    server = read_or_create(folder / "server.key", created)
    return server.encode(), read_or_create(folder / "pseudonym.key", created).encode()


def move_legacy(legacy: Path, folder: Path) -> None:
    if not legacy.exists():
        return
    value = legacy.read_text().strip()
    for name in ("server.key", "pseudonym.key"):
        write_new(folder / name, value)
    if (folder / "server.key").read_text().strip() == value:
        legacy.unlink()
