"""The web: Starlette app, templates, static files."""
