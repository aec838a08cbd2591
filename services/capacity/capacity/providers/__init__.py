"""Providers ("aanbieders"): the organisations whose units offer places."""
