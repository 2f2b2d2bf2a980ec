"""The web, grouped by who uses it: tablet/, organiser/, department/ and public/, each with its screens, its
SQL (reads.py), its templates and static files; platform/ holds what they share; app.py assembles them."""
