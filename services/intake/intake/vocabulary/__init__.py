"""The vocabulary of codes, as intake publishes it (`GET /v1/vocabulary`)."""
