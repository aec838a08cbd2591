from enum import StrEnum


class EventType(StrEnum):
    REFERRAL_ENDED = "referral.ended"
    REFERRAL_PLACED = "referral.placed"
    REFERRAL_PROPOSAL_EXPIRED = "referral.proposal_expired"
    REFERRAL_PROPOSAL_EXPIRING = "referral.proposal_expiring"
    REFERRAL_PROPOSED = "referral.proposed"
    REFERRAL_UNMATCHED = "referral.unmatched"
    REFERRAL_WITHDRAWN = "referral.withdrawn"
    SIGNAL_OPENED = "signal.opened"
    UNIT_AVAILABILITY_STALE = "unit.availability_stale"

    def __str__(self) -> str:
        return str(self.value)
