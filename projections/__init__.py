"""Projections — numbers and views computed from the recorded events."""
