"""Signals: the coordinator's tasks about a child — the crisis cap, onward placements, stacking, and
the rest of docs/api.md's types. Event-driven signals open in the transaction of their event (events.py);
time-driven ones (the crisis cap) are evaluated on every read of the list and by the background sweep
(store.py). Which condition raises a signal is decided by the pure rules of rules.py."""
