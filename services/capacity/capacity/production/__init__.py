"""Production agreements ("P x Q"): the care days a provider agreed per care type and year, and their use."""
