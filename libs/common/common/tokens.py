"""Command-line helper that mints development tokens: python -m common.tokens --role coordinator."""

from __future__ import annotations

import argparse
from datetime import timedelta

from common.auth import REFERRER_TYPES, ROLES, max_token_lifetime, mint_token
from common.settings import CommonSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Mint a Regiepunt development token.")
    parser.add_argument("--role", choices=ROLES, required=True)
    parser.add_argument("--sub", default=None, help="who acts (default: dev-<role>)")
    parser.add_argument("--org", default=None, help="organisation (default: dev-org)")
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
    token = mint_token(
        settings.effective_jwt_secret,
        sub=args.sub or f"dev-{args.role}",
        role=args.role,
        org=args.org or "dev-org",
        referrer_type=args.referrer_type,
        provider_id=args.provider_id,
        ttl=None if args.hours is None else timedelta(hours=args.hours),
    )
    print(token)


if __name__ == "__main__":
    main()
