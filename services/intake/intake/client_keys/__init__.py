"""Client keys: re-keying the pseudonyms of every service after the client key was rotated."""
