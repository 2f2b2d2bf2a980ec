"""sanmin_audit — 独立核验程序: checks a public audit bundle of the 三民 platform with nothing of the platform.

Depends only on the standard library and ``cryptography``. ``python -m sanmin_audit bundle.zip`` checks
the signature of results.json, the rule's digest, recounts every department from rule.json, ballots.csv
and components.csv with its own reading of docs/scoring.md (``sanmin_audit.recount``), the online component
from online_ballots.csv when the round had an online channel (``sanmin_audit.online``), and prints each
difference; ``--history events.jsonl`` checks a full event history against the signed checkpoints'
plain SHA-256 chain (``sanmin_audit.history``). Exit status 0 only when everything agrees.
"""
