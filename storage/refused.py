"""不能启动 — what a command says, in one plain line, when the store must not be opened as asked.

Raised while the settings are built (storage/settings.py, storage/embedded.py, storage/key_check.py): a
data folder that cannot be written, a database that refuses the password, keys that are not the store's.
The ``sanmin`` command prints the message and exits 2 (sanmin/cli.py); the web and projection processes
exit with it. Nothing has been written to the store when it is raised."""

from __future__ import annotations


class StartRefused(Exception):
    """An operator's mistake in the settings, explained in ``str(self)``, never a traceback."""
