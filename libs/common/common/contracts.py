"""What a referral may carry to matching, defined once: intake accepts exactly what matching takes.

A need is a code, never a sentence: lowercase ASCII letters, `_` and `-`, no digits and no spaces, so
that nothing typed about a child (a name, a citizen number) can pass as one. The vocabulary of codes
itself is configuration; this is the shape every code has.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

MAX_NEEDS = 30
NEED_CODE_PATTERN = r"^[a-z][a-z_-]{1,59}$"

NeedCode = Annotated[str, StringConstraints(pattern=NEED_CODE_PATTERN)]
Needs = Annotated[list[NeedCode], Field(max_length=MAX_NEEDS)]
