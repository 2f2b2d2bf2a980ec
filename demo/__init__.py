"""演示 — the seeded Baotou-scale demo round: its data files (``data/``), the round and ballots drawn from them, and
the loader that puts them into the store through the application's commands (``demo.loader``)."""
