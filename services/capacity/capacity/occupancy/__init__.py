"""Occupancies: a child placed in a unit, from the confirmed reservation until the stay ends."""
