from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.signal_page import SignalPage
from ...models.signal_status import SignalStatus
from ...models.signal_type import SignalType
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    type_: None | SignalType | Unset = UNSET,
    status: None | SignalStatus | Unset = UNSET,
    resolved: bool | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, SignalType):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, SignalStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_resolved: bool | None | Unset
    if isinstance(resolved, Unset):
        json_resolved = UNSET
    else:
        json_resolved = resolved
    params["resolved"] = json_resolved

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/signals",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SignalPage | None:
    if response.status_code == 200:
        response_200 = SignalPage.from_dict(response.json())

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
) -> Response[Problem | SignalPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    type_: None | SignalType | Unset = UNSET,
    status: None | SignalStatus | Unset = UNSET,
    resolved: bool | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[Problem | SignalPage]:
    """List Signals

     Most urgent first: open before acknowledged, live before resolved, past the crisis cap first
    (most days past first), then the crisis-cap warnings by days left, then the rest newest first.

    Args:
        type_ (None | SignalType | Unset):
        status (None | SignalStatus | Unset):
        resolved (bool | None | Unset): true: only signals whose condition has gone; false: only
            live ones
        limit (int | Unset):  Default: 50.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SignalPage]
    """

    kwargs = _get_kwargs(
        type_=type_,
        status=status,
        resolved=resolved,
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
    type_: None | SignalType | Unset = UNSET,
    status: None | SignalStatus | Unset = UNSET,
    resolved: bool | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Problem | SignalPage | None:
    """List Signals

     Most urgent first: open before acknowledged, live before resolved, past the crisis cap first
    (most days past first), then the crisis-cap warnings by days left, then the rest newest first.

    Args:
        type_ (None | SignalType | Unset):
        status (None | SignalStatus | Unset):
        resolved (bool | None | Unset): true: only signals whose condition has gone; false: only
            live ones
        limit (int | Unset):  Default: 50.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SignalPage
    """

    return sync_detailed(
        client=client,
        type_=type_,
        status=status,
        resolved=resolved,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    type_: None | SignalType | Unset = UNSET,
    status: None | SignalStatus | Unset = UNSET,
    resolved: bool | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[Problem | SignalPage]:
    """List Signals

     Most urgent first: open before acknowledged, live before resolved, past the crisis cap first
    (most days past first), then the crisis-cap warnings by days left, then the rest newest first.

    Args:
        type_ (None | SignalType | Unset):
        status (None | SignalStatus | Unset):
        resolved (bool | None | Unset): true: only signals whose condition has gone; false: only
            live ones
        limit (int | Unset):  Default: 50.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SignalPage]
    """

    kwargs = _get_kwargs(
        type_=type_,
        status=status,
        resolved=resolved,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    type_: None | SignalType | Unset = UNSET,
    status: None | SignalStatus | Unset = UNSET,
    resolved: bool | None | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Problem | SignalPage | None:
    """List Signals

     Most urgent first: open before acknowledged, live before resolved, past the crisis cap first
    (most days past first), then the crisis-cap warnings by days left, then the rest newest first.

    Args:
        type_ (None | SignalType | Unset):
        status (None | SignalStatus | Unset):
        resolved (bool | None | Unset): true: only signals whose condition has gone; false: only
            live ones
        limit (int | Unset):  Default: 50.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SignalPage
    """

    return (
        await asyncio_detailed(
            client=client,
            type_=type_,
            status=status,
            resolved=resolved,
            limit=limit,
            offset=offset,
        )
    ).parsed
