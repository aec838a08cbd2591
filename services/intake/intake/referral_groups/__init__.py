"""Siblings referred together: kept together unless a split is recorded (rules.py decides what a group
is and what its status is; submit.py and service.py are its use cases; matching.py asks for joint places)."""
