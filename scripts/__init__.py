"""Command line: run, demo data, rebuild, verify, benchmarks."""
