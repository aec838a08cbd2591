"""The pages of providers and referrers (GET /portal)."""
