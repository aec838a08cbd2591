"""Regiepunt matching service."""
