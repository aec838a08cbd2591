"""The Python client of Regiepunt, the central referral point for residential youth care.

from regiepunt_client import Regiepunt
point = Regiepunt("https://regiepunt.example", token="...")
referral = point.submit_referral({...})
"""

from regiepunt_client.client import ANSWERED, DECLINE_REASON_CODES, Regiepunt
from regiepunt_client.errors import (
    BadRequest,
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    PointError,
    PreconditionFailed,
    Refused,
    Unauthorized,
    Unavailable,
)
from regiepunt_client.transport import ClientCredentials, PointTransport, RefreshingToken, StaticToken, TokenSource

__all__ = [
    "ANSWERED",
    "DECLINE_REASON_CODES",
    "BadRequest",
    "ClientCredentials",
    "Conflict",
    "FieldError",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "PointError",
    "PointTransport",
    "PreconditionFailed",
    "RefreshingToken",
    "Refused",
    "Regiepunt",
    "StaticToken",
    "TokenSource",
    "Unauthorized",
    "Unavailable",
]
