"""The access log: its one insert (store.py), as the security officer reads it across referrals
(service.py), and subject access requests."""
