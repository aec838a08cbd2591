"""Regiepunt capacity service."""
