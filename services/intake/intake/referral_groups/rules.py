"""The rules of a group of siblings, pure: what a valid group submission and split are, and the group's
status as its children's statuses make it."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import StrEnum

from common.errors import FieldError, InvalidFields
from contracts.vocabulary import Vocabulary
from intake.domain import MIN_JUSTIFICATION_LENGTH, Status


class GroupStatus(StrEnum):
    waiting = "waiting"  # some child has no place yet
    proposed = "proposed"  # every child is proposed a place or placed
    placed = "placed"  # every child is placed
    closed = "closed"  # every child's stay ended or its referral was withdrawn


_OVER = (Status.ended.value, Status.withdrawn.value)
_WITHOUT_PLACE = (Status.pending.value, Status.unmatched.value)


def group_status(statuses: Iterable[str]) -> GroupStatus:
    """Closed when every child is done; otherwise judged on the children still in it: waiting while one
    has no place, placed when all are placed, else proposed."""
    current = [status for status in statuses if status not in _OVER]
    if not current:
        return GroupStatus.closed
    if any(status in _WITHOUT_PLACE for status in current):
        return GroupStatus.waiting
    if all(status == Status.placed.value for status in current):
        return GroupStatus.placed
    return GroupStatus.proposed


def split_errors(code: str, justification: str, reasons: Collection[str], prefix: str = "") -> list[FieldError]:
    """A split names one of the split reasons (the vocabulary's `split_reasons`, configuration) and
    explains it in words."""
    errors = []
    if code not in reasons:
        errors.append(FieldError(f"{prefix}code", Vocabulary.refusal("split_reasons", code)))
    if len(justification.strip()) < MIN_JUSTIFICATION_LENGTH:
        errors.append(
            FieldError(
                f"{prefix}justification", f"must explain the split in at least {MIN_JUSTIFICATION_LENGTH} characters"
            )
        )
    return errors


def check_group(
    size: int,
    max_size: int,
    keep_together: bool,
    split: tuple[str, str] | None,
    reasons: Collection[str],
    child_errors: list[FieldError],
) -> None:
    """A group holds two to `max_size` children, each a valid referral (`child_errors`, named by the
    child's index), and is kept together or split with a recorded reason; every broken rule at once."""
    errors = list(child_errors)
    if size < 2 or size > max_size:
        errors.append(FieldError("referrals", f"a group holds 2 to {max_size} children"))
    if split is None and not keep_together:
        errors.append(FieldError("split", "is required when the siblings are not kept together"))
    if split is not None:
        if keep_together:
            errors.append(FieldError("keep_together", "must be false when a split is recorded"))
        errors.extend(split_errors(*split, reasons, prefix="split."))
    if errors:
        raise InvalidFields(errors)


def prefixed(errors: Iterable[FieldError], index: int) -> list[FieldError]:
    """A child's errors named by its place in the group: `referrals[1].client.bsn`."""
    return [FieldError(f"referrals[{index}].{error.field}", error.message) for error in errors]
