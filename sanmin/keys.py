"""``sanmin keys new-pseudonym`` — after the pseudonym key was destroyed on purpose (docs/security.md), the
store takes a new one for later rounds.

Every start refuses keys that are not the store's (storage/key_check.py), a fresh pseudonym key among
them: that is what protects a store restored without its ``pseudonym.key``. Destroying the key is the one
time a new one is wanted, so it is said explicitly: the file must be gone already (deleted with its
backups), and this command makes the new one and records its check value — only once every round that has
ballots is locked (``evaluation.pseudonym_renewal``): before, a changed vote would become a second ballot.
Refused, it changes nothing (the key file it made to open the store is removed again)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from evaluation.pseudonym_renewal import PseudonymStillNeeded
from storage.bootstrap import build_app
from storage.keyfiles import key_folder
from storage.settings import Settings


def keys_new_pseudonym(args: argparse.Namespace) -> int:
    made: Path | None = None
    if not os.environ.get("SANMIN_SECRET"):
        data_dir = Path(os.environ.get("SANMIN_DATA_DIR", "var")).absolute()
        made = key_folder(data_dir) / "pseudonym.key"
        if made.exists():
            print(
                f"未更换：{made} 仍在。要销毁化名密钥，先删除这个文件及其所有备份（docs/security.md），"
                "再运行本命令。",
                file=sys.stderr,
            )
            return 1
    settings = Settings.from_environment(check_pseudonym=False)
    try:
        app = build_app(settings)
        try:
            app.check_pseudonym_renewal()
        finally:
            app.close()
    except PseudonymStillNeeded as refusal:
        if made is not None:
            made.unlink(missing_ok=True)
        print(refusal.message, file=sys.stderr)
        return 1
    finally:
        settings.release()
    Settings.from_environment(renew_pseudonym=True).release()
    print("已启用新的化名密钥：以后的评议活动的选票用它派生；已销毁的旧密钥无法恢复。")
    return 0
