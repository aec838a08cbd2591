"""Referrals: submitted (submit.py), read within what the reader may see (reading.py, visibility.py,
rendering.py), placed (placement.py) and moved on through their life (lifecycle.py); the HTTP routes
are in views.py."""
