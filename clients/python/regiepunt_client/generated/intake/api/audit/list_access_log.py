from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.access_log_page import AccessLogPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    actor: None | str | Unset = UNSET,
    referral_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_actor: None | str | Unset
    if isinstance(actor, Unset):
        json_actor = UNSET
    else:
        json_actor = actor
    params["actor"] = json_actor

    json_referral_id: None | str | Unset
    if isinstance(referral_id, Unset):
        json_referral_id = UNSET
    else:
        json_referral_id = referral_id
    params["referral_id"] = json_referral_id

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    else:
        json_to = to
    params["to"] = json_to

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/access-log",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccessLogPage | Problem | None:
    if response.status_code == 200:
        response_200 = AccessLogPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AccessLogPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    actor: None | str | Unset = UNSET,
    referral_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Response[AccessLogPage | Problem]:
    """List Access Log

     Who read or changed which child's referral, and who was refused one; newest first.

    Args:
        actor (None | str | Unset):
        referral_id (None | str | Unset):
        action (None | str | Unset):
        from_ (None | str | Unset): A date (the whole day counts) or an ISO 8601 moment; UTC when
            it names no offset.
        to (None | str | Unset): A date (the whole day counts) or an ISO 8601 moment; UTC when it
            names no offset.
        limit (int | Unset):  Default: 100.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessLogPage | Problem]
    """

    kwargs = _get_kwargs(
        actor=actor,
        referral_id=referral_id,
        action=action,
        from_=from_,
        to=to,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    actor: None | str | Unset = UNSET,
    referral_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> AccessLogPage | Problem | None:
    """List Access Log

     Who read or changed which child's referral, and who was refused one; newest first.

    Args:
        actor (None | str | Unset):
        referral_id (None | str | Unset):
        action (None | str | Unset):
        from_ (None | str | Unset): A date (the whole day counts) or an ISO 8601 moment; UTC when
            it names no offset.
        to (None | str | Unset): A date (the whole day counts) or an ISO 8601 moment; UTC when it
            names no offset.
        limit (int | Unset):  Default: 100.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessLogPage | Problem
    """

    return sync_detailed(
        client=client,
        actor=actor,
        referral_id=referral_id,
        action=action,
        from_=from_,
        to=to,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    actor: None | str | Unset = UNSET,
    referral_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Response[AccessLogPage | Problem]:
    """List Access Log

     Who read or changed which child's referral, and who was refused one; newest first.

    Args:
        actor (None | str | Unset):
        referral_id (None | str | Unset):
        action (None | str | Unset):
        from_ (None | str | Unset): A date (the whole day counts) or an ISO 8601 moment; UTC when
            it names no offset.
        to (None | str | Unset): A date (the whole day counts) or an ISO 8601 moment; UTC when it
            names no offset.
        limit (int | Unset):  Default: 100.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessLogPage | Problem]
    """

    kwargs = _get_kwargs(
        actor=actor,
        referral_id=referral_id,
        action=action,
        from_=from_,
        to=to,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    actor: None | str | Unset = UNSET,
    referral_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> AccessLogPage | Problem | None:
    """List Access Log

     Who read or changed which child's referral, and who was refused one; newest first.

    Args:
        actor (None | str | Unset):
        referral_id (None | str | Unset):
        action (None | str | Unset):
        from_ (None | str | Unset): A date (the whole day counts) or an ISO 8601 moment; UTC when
            it names no offset.
        to (None | str | Unset): A date (the whole day counts) or an ISO 8601 moment; UTC when it
            names no offset.
        limit (int | Unset):  Default: 100.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessLogPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            actor=actor,
            referral_id=referral_id,
            action=action,
            from_=from_,
            to=to,
            limit=limit,
            offset=offset,
        )
    ).parsed
