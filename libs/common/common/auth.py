"""Bearer tokens (claims of docs/api.md), the principal they name, and the role dependencies routes declare.

The identity provider's tokens are checked in common.oidc; the HS256 tokens of development here."""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal, Protocol

import jwt
from fastapi import Depends, Request

from common.errors import Forbidden, Unauthorized

ISSUER = "regiepunt"
AUDIENCE = "regiepunt"

Role = Literal["referrer", "provider", "coordinator", "service", "auditor"]
ROLES: tuple[str, ...] = ("referrer", "provider", "coordinator", "service", "auditor")
# The security officer reads the access log and answers a child's request for its data, nothing else:
# a route open to "anyone with a token" is not open to the auditor.
AUDITOR = "auditor"
REFERRER_TYPES: tuple[str, ...] = (
    "local_team",
    "gp",
    "youth_doctor",
    "medical_specialist",
    "certified_institution",
    "court",
)
SESSION_COOKIE = "regiepunt_session"
# A service's principal has the subject `service:<name>`, whichever way its token was obtained.
SERVICE_SUBJECT_PREFIX = "service:"
SERVICES: tuple[str, ...] = ("intake", "capacity", "matching")
# Intake's pages act for the provider signed in on them: intake calls capacity with its own service
# token and names that provider in this header (capacity.deps: only intake may).
ACTING_PROVIDER_HEADER = "Regiepunt-Acting-Provider"

# The longest a token may live: a person's for a working day, a service's (minted by the service
# itself, renewed before it runs out) for an hour. A stolen token is worth no more than that.
PERSON_TOKEN_MAX_LIFETIME = timedelta(hours=12)
SERVICE_TOKEN_MAX_LIFETIME = timedelta(hours=1)
# Clocks of the minting and the checking machine may differ this much.
CLOCK_LEEWAY = timedelta(seconds=60)
# An Authorization header (or a token) longer than this is refused before it is read: ours are well
# under a kilobyte, and a huge one costs memory and time before it can be refused as invalid.
MAX_AUTHORIZATION_BYTES = 8192


class TokenVerifierProtocol(Protocol):
    async def verify(self, token: str) -> Principal: ...


def max_token_lifetime(role: str) -> timedelta:
    return SERVICE_TOKEN_MAX_LIFETIME if role == "service" else PERSON_TOKEN_MAX_LIFETIME


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    org: str
    referrer_type: str | None = None
    provider_id: str | None = None

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"

    def acts_for_provider(self, provider_id: str | None) -> bool:
        return self.role == "provider" and provider_id is not None and self.provider_id == provider_id

    @property
    def service(self) -> str | None:
        """Which of the point's services calls (`intake`, `matching`, `capacity`), None for a person."""
        if self.role != "service" or not self.sub.startswith(SERVICE_SUBJECT_PREFIX):
            return None
        return self.sub.removeprefix(SERVICE_SUBJECT_PREFIX)


def mint_token(
    secret: str,
    *,
    sub: str,
    role: str,
    org: str,
    referrer_type: str | None = None,
    provider_id: str | None = None,
    ttl: timedelta | None = None,
    now: datetime | None = None,
) -> str:
    """A signed token; it lives `ttl`, by default as long as a token of its role may."""
    issued = now or datetime.now(UTC)
    ttl = max_token_lifetime(role) if ttl is None else ttl
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": sub,
        "role": role,
        "org": org,
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
    }
    if referrer_type is not None:
        claims["referrer_type"] = referrer_type
    if provider_id is not None:
        claims["provider_id"] = provider_id
    return jwt.encode(claims, secret, algorithm="HS256")


def decode_token(token: str, secret: str) -> Principal:
    """The principal of a valid HS256 token signed with the shared development secret. A service
    calls with the same token many times a second, so a verified token is remembered until it
    expires instead of checking its signature every time."""
    principal, _expires = verified_shared_secret_token(token, secret)
    return principal


def verified_shared_secret_token(token: str, secret: str) -> tuple[Principal, float]:
    """(principal, exp) of a valid HS256 token, or Unauthorized."""
    if len(token) > MAX_AUTHORIZATION_BYTES:
        raise Unauthorized(f"The token is longer than {MAX_AUTHORIZATION_BYTES} bytes.")
    principal, expires = _verified(token, secret)
    if expires <= time.time():
        raise Unauthorized("The token has expired.")
    return principal, expires


@functools.lru_cache(maxsize=1024)
def _verified(token: str, secret: str) -> tuple[Principal, float]:
    """Only valid tokens are remembered: a refused one raises, and lru_cache keeps no exceptions."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The token has expired.") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"The token is not valid: {exc}.") from exc
    refuse_nul_claims(claims)
    role = claims.get("role")
    if role not in ROLES:
        raise Unauthorized("The token carries no known role.")
    principal = principal_from_claims(
        claims,
        sub=claims["sub"],
        role=role,
        org=claims.get("org"),
        referrer_type=claims.get("referrer_type"),
        provider_id=claims.get("provider_id"),
        longest=max_token_lifetime(role),
    )
    return principal, float(claims["exp"])


def principal_from_claims(
    claims: dict[str, Any],
    *,
    sub: Any,
    role: str,
    org: Any,
    referrer_type: Any,
    provider_id: Any,
    longest: timedelta,
) -> Principal:
    """The principal of a token whose signature, issuer and audience were checked: the rules every
    token meets, whoever signed it (`claims` is the whole token, the rest ours as read from it)."""
    refuse_nul_claims(claims)
    _check_lifetime(claims, role, longest)
    if not isinstance(sub, str) or not sub:
        raise Unauthorized("The token names no subject (sub).")
    if not isinstance(org, str) or not org:
        raise Unauthorized("The token carries no organisation (org).")
    if role == "provider" and not provider_id:
        raise Unauthorized("A provider token must carry provider_id.")
    if role == "referrer" and referrer_type not in REFERRER_TYPES:
        raise Unauthorized("A referrer token must carry a known referrer_type.")
    return Principal(
        sub=sub,
        role=role,
        org=org,
        referrer_type=referrer_type,
        provider_id=str(provider_id) if provider_id else None,
    )


def refuse_nul_claims(claims: dict[str, Any]) -> None:
    if _holds_nul(claims):
        # PostgreSQL cannot store it: an org or sub with NUL failed the first write that named it.
        raise Unauthorized("The token is not valid: a claim holds a NUL character.")


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _check_lifetime(claims: dict[str, Any], role: str, longest: timedelta) -> None:
    """exp and iat are numbers (PyJWT also reads a string of digits), and exp lies no further from
    iat, nor from now, than a token of this role may live."""
    exp, iat = claims["exp"], claims.get("iat")
    for name, value in (("exp", exp), ("iat", iat)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise Unauthorized(f"The token is not valid: {name} must be a number.")
    now = time.time()
    if exp - now > (longest + CLOCK_LEEWAY).total_seconds() or (
        iat is not None and exp - iat > longest.total_seconds()
    ):
        hours = longest.total_seconds() / 3600
        unit = "hour" if hours == 1 else "hours"
        raise Unauthorized(f"The token is not valid: a {role} token may live at most {hours:g} {unit}.")


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header and len(header) > MAX_AUTHORIZATION_BYTES:
        raise Unauthorized(f"The Authorization header is longer than {MAX_AUTHORIZATION_BYTES} bytes.")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Use 'Authorization: Bearer <token>'.")
        return token.strip()
    return None


async def verify_token(request: Request, token: str) -> Principal:
    """The principal of a bearer token, as the app's verifier (common.oidc.TokenVerifier) checks it:
    the identity provider's tokens, and in development the shared-secret ones."""
    verifier: TokenVerifierProtocol = request.app.state.verifier
    return await verifier.verify(token)


async def get_principal(request: Request) -> Principal:
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("This call needs a bearer token.")
    return await verify_token(request, token)


AnyRole = Annotated[Principal, Depends(get_principal)]


async def get_participant(principal: AnyRole) -> Principal:
    """Anyone with a token who takes part in referring and placing: every role but the auditor."""
    if principal.role == AUDITOR:
        raise Forbidden("The auditor reads the access log and answers subject access requests only.")
    return principal


# "Anyone with a token" in the contract: every role that takes part, never the auditor.
CurrentPrincipal = Annotated[Principal, Depends(get_participant)]


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    async def dependency(principal: AnyRole) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"This call is for {', '.join(roles)}; the token's role is {principal.role}.")
        return principal

    return dependency


def require_service(*services: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A call only some of the point's services may make: matching takes decisions from intake only,
    capacity holds places for matching and intake only."""

    async def dependency(principal: AnyRole) -> Principal:
        if principal.role != "service":
            raise Forbidden(f"This call is for the service role; the token's role is {principal.role}.")
        if principal.service not in services:
            caller = principal.service or "an unknown service"
            raise Forbidden(f"This call is for {', '.join(services)}; it came from {caller}.")
        return principal

    return dependency


Coordinator = Annotated[Principal, Depends(require_roles("coordinator"))]
Referrer = Annotated[Principal, Depends(require_roles("referrer"))]
Service = Annotated[Principal, Depends(require_roles("service"))]
CoordinatorOrService = Annotated[Principal, Depends(require_roles("coordinator", "service"))]
Auditor = Annotated[Principal, Depends(require_roles(AUDITOR))]
FromIntake = Annotated[Principal, Depends(require_service("intake"))]
FromIntakeOrMatching = Annotated[Principal, Depends(require_service("intake", "matching"))]
FromMatching = Annotated[Principal, Depends(require_service("matching"))]
