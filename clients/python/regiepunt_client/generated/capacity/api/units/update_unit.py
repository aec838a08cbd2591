from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.unit_out import UnitOut
from ...models.unit_update import UnitUpdate
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: UnitUpdate,
    if_match: None | str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/units/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | UnitOut | None:
    if response.status_code == 200:
        response_200 = UnitOut.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 428:
        response_428 = Problem.from_dict(response.json())

        return response_428

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | UnitOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: UnitUpdate,
    if_match: None | str,
) -> Response[Problem | UnitOut]:
    """Update Unit

     Change a unit's details or close it, with `If-Match` as for its availability (412 when stale).

    Args:
        id (str):
        if_match (None | str):
        body (UnitUpdate): What a provider (or a coordinator) may change of a unit; a field left
            out stays as it is, a
            null clears what may be empty (description, the unit's point). `closed`: the unit takes no
            new
            child (no proposal, no hold) while its stays run on; false opens it again. The care type
            and the
            places are not changed here (the places through PUT availability).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UnitOut]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    body: UnitUpdate,
    if_match: None | str,
) -> Problem | UnitOut | None:
    """Update Unit

     Change a unit's details or close it, with `If-Match` as for its availability (412 when stale).

    Args:
        id (str):
        if_match (None | str):
        body (UnitUpdate): What a provider (or a coordinator) may change of a unit; a field left
            out stays as it is, a
            null clears what may be empty (description, the unit's point). `closed`: the unit takes no
            new
            child (no proposal, no hold) while its stays run on; false opens it again. The care type
            and the
            places are not changed here (the places through PUT availability).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UnitOut
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: UnitUpdate,
    if_match: None | str,
) -> Response[Problem | UnitOut]:
    """Update Unit

     Change a unit's details or close it, with `If-Match` as for its availability (412 when stale).

    Args:
        id (str):
        if_match (None | str):
        body (UnitUpdate): What a provider (or a coordinator) may change of a unit; a field left
            out stays as it is, a
            null clears what may be empty (description, the unit's point). `closed`: the unit takes no
            new
            child (no proposal, no hold) while its stays run on; false opens it again. The care type
            and the
            places are not changed here (the places through PUT availability).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UnitOut]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    body: UnitUpdate,
    if_match: None | str,
) -> Problem | UnitOut | None:
    """Update Unit

     Change a unit's details or close it, with `If-Match` as for its availability (412 when stale).

    Args:
        id (str):
        if_match (None | str):
        body (UnitUpdate): What a provider (or a coordinator) may change of a unit; a field left
            out stays as it is, a
            null clears what may be empty (description, the unit's point). `closed`: the unit takes no
            new
            child (no proposal, no hold) while its stays run on; false opens it again. The care type
            and the
            places are not changed here (the places through PUT availability).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UnitOut
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
