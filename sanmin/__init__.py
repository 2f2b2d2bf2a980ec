"""sanmin — the operator's command line: ``sanmin.cli`` parses it, ``sanmin.operations`` does the work."""
