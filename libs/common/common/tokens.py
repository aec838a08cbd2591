"""Command-line helper that mints development tokens: `.venv/bin/python -m common.tokens --role
coordinator` (or `make token`, `make token ROLE=auditor`, `make token ARGS=--help`)."""

from __future__ import annotations

import argparse
from datetime import timedelta

from common.auth import REFERRER_TYPES, ROLES, max_token_lifetime, mint_token
from common.settings import CommonSettings

# The organisation of the point's own people (coordinators, the security officer) in development: the
# token `make up` prints and the one `make token` mints act for it alike.
POINT_ORG = "Regiepunt Haaglanden"
OTHER_ORG = "dev-org"


def default_org(role: str) -> str:
    return POINT_ORG if role in ("coordinator", "auditor") else OTHER_ORG


def development_token(
    secret: str,
    role: str = "coordinator",
    *,
    sub: str | None = None,
    org: str | None = None,
    referrer_type: str | None = None,
    provider_id: str | None = None,
    ttl: timedelta | None = None,
) -> str:
    """A development token as `make token` mints it: `dev-<role>` acting for default_org(role)."""
    return mint_token(
        secret,
        sub=sub or f"dev-{role}",
        role=role,
        org=org or default_org(role),
        referrer_type=referrer_type,
        provider_id=provider_id,
        ttl=ttl,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Mint a Regiepunt development token.")
    parser.add_argument("--role", choices=ROLES, required=True)
    parser.add_argument("--sub", default=None, help="who acts (default: dev-<role>)")
    parser.add_argument(
        "--org",
        default=None,
        help=f"organisation (default: {POINT_ORG} for a coordinator or auditor, else {OTHER_ORG})",
    )
    parser.add_argument("--referrer-type", choices=REFERRER_TYPES, default=None)
    parser.add_argument("--provider-id", default=None, help="providers only: the capacity provider id")
    parser.add_argument(
        "--hours", type=float, default=None, help="validity in hours (default and most: 12, for a service 1)"
    )
    args = parser.parse_args(argv)
    if args.role == "referrer" and args.referrer_type is None:
        args.referrer_type = "local_team"
    if args.role == "provider" and not args.provider_id:
        parser.error("--provider-id is required for a provider token")
    longest = max_token_lifetime(args.role)
    if args.hours is not None and not 0 < args.hours <= longest.total_seconds() / 3600:
        parser.error(f"--hours must lie above 0 and at most {longest.total_seconds() / 3600:g} for a {args.role} token")
    settings = CommonSettings()
    if settings.production:
        parser.error("production accepts no minted tokens: get one from the identity provider")
    token = development_token(
        settings.effective_jwt_secret,
        args.role,
        sub=args.sub,
        org=args.org,
        referrer_type=args.referrer_type,
        provider_id=args.provider_id,
        ttl=None if args.hours is None else timedelta(hours=args.hours),
    )
    print(token)


if __name__ == "__main__":
    main()
