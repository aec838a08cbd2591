"""The waiting list: unmatched children matched again when capacity reports a place that admits them
(rules.py decides which place admits which child; service.py asks matching)."""
