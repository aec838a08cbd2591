"""Reservations: places held for a referral, confirmed into an occupancy, released or expired."""
