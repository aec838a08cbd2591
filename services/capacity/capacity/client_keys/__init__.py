"""Client keys: the pseudonyms of reservations and occupancies re-keyed after intake rotated its key."""
