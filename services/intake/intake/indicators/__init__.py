"""The region's indicators: the KPIs (kpis.py, with the SQL the two databases spell differently in
sql.py), the stay context they derive from a child's other stays (stays.py), and the CSV exports for
analysis (exports.py); the HTTP routes are in views.py."""
