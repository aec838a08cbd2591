"""Units (places) of providers and their availability."""
