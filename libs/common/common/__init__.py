"""Shared ground of the Regiepunt services: nothing domain-specific lives here."""
