"""A benchmark's command line: its module's docstring as the help, pgserver's XDG_RUNTIME_DIR warning quiet."""

from __future__ import annotations

import argparse
import warnings


def bench_parser(doc: str | None) -> argparse.ArgumentParser:
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    return argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
