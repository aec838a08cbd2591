"""`make bench`: the national-scale benchmark of the three services on PostgreSQL, against a baseline."""
