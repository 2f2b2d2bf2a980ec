"""收票快道 — the ballot's fast path, a package a reader of the domain can skip.

The domain (``evaluation/``) casts one ballot with the library's ordinary save. Here the same rules run
for the peak minute: ``BallotBox`` gathers the ballots a web process receives together (the hall's tablets'
and the online citizens'), its ``BallotWriter`` hands them to a child process over a socket (``wire``), and
the child's ``IntakeApp`` saves each gathering in one transaction, reading the aggregates it needs at once
and keeping the read-only ones between transactions.
"""
