"""Regiepunt intake service."""
