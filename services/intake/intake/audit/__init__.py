"""The security officer's side of intake: the access log across referrals and subject access requests."""
