"""Which key the pseudonyms are re-keyed to, pure: the key ids adopted so far, newest first, and the
progress of a pass over the referrals, as worker_state keeps them."""

from __future__ import annotations

from dataclasses import dataclass

# The services that store the pseudonym besides intake, and so get the old and new pseudonyms.
SERVICES = ("capacity", "matching")
# Key ids remembered: enough for years of rotations, few enough for one worker_state value.
MAX_REMEMBERED_KEYS = 20
_DONE = "done"


def adopted_keys(value: str | None) -> list[str]:
    """The key ids adopted so far, newest first, from their worker_state value."""
    return [key_id for key_id in (value or "").split(",") if key_id]


def adopt(adopted: list[str], key_id: str) -> list[str]:
    """The adopted key ids once `key_id` is the current one."""
    return [key_id, *(earlier for earlier in adopted if earlier != key_id)][:MAX_REMEMBERED_KEYS]


def is_retired(adopted: list[str], key_id: str) -> bool:
    """A key adopted before and replaced since. A replica still running with it (a rolling restart
    that has not reached it yet) must not re-key the point back: only the command adopts it again."""
    return key_id in adopted[1:]


@dataclass(frozen=True)
class Pass:
    """A walk over the referrals in id order, re-keying those of an earlier key: how far it came
    (`after`, the last referral id seen) or that it found none left (`done`)."""

    key_id: str
    after: str = ""
    done: bool = False

    def value(self) -> str:
        return f"{self.key_id}:{_DONE if self.done else self.after}"


def pass_of(value: str | None, key_id: str) -> Pass:
    """The pass under `key_id` as worker_state keeps it; a new one when the stored pass was made
    under another key (or there is none)."""
    stored_key, _, progress = (value or "").partition(":")
    if stored_key != key_id:
        return Pass(key_id)
    if progress == _DONE:
        return Pass(key_id, done=True)
    return Pass(key_id, after=progress)
