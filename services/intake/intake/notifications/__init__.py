"""Notifications: webhooks (Standard Webhooks) and e-mail about referrals, units and signals."""
