"""Adapters to PostgreSQL: embedded server, settings, recorder, file store."""
