from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.provider_list import ProviderList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
    agb_code: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    json_agb_code: None | str | Unset
    if isinstance(agb_code, Unset):
        json_agb_code = UNSET
    else:
        json_agb_code = agb_code
    params["agb_code"] = json_agb_code

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/providers",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ProviderList | None:
    if response.status_code == 200:
        response_200 = ProviderList.from_dict(response.json())

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
) -> Response[Problem | ProviderList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
    agb_code: None | str | Unset = UNSET,
) -> Response[Problem | ProviderList]:
    """List Providers

    Args:
        limit (int | Unset): page size Default: 100.
        offset (int | Unset): how many items to skip Default: 0.
        agb_code (None | str | Unset): the provider with this AGB code

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProviderList]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        agb_code=agb_code,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
    agb_code: None | str | Unset = UNSET,
) -> Problem | ProviderList | None:
    """List Providers

    Args:
        limit (int | Unset): page size Default: 100.
        offset (int | Unset): how many items to skip Default: 0.
        agb_code (None | str | Unset): the provider with this AGB code

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProviderList
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        agb_code=agb_code,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
    agb_code: None | str | Unset = UNSET,
) -> Response[Problem | ProviderList]:
    """List Providers

    Args:
        limit (int | Unset): page size Default: 100.
        offset (int | Unset): how many items to skip Default: 0.
        agb_code (None | str | Unset): the provider with this AGB code

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProviderList]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        agb_code=agb_code,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
    agb_code: None | str | Unset = UNSET,
) -> Problem | ProviderList | None:
    """List Providers

    Args:
        limit (int | Unset): page size Default: 100.
        offset (int | Unset): how many items to skip Default: 0.
        agb_code (None | str | Unset): the provider with this AGB code

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProviderList
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            agb_code=agb_code,
        )
    ).parsed
