from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_units_care_type_type_0 import ListUnitsCareTypeType0
from ...models.list_units_target_group_type_0 import ListUnitsTargetGroupType0
from ...models.problem import Problem
from ...models.unit_list import UnitList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    care_type: ListUnitsCareTypeType0 | None | Unset = UNSET,
    target_group: ListUnitsTargetGroupType0 | None | Unset = UNSET,
    age: int | None | Unset = UNSET,
    in_region: bool | None | Unset = UNSET,
    available_only: bool | Unset = False,
    provider_id: None | str | Unset = UNSET,
    id: list[str] | None | Unset = UNSET,
    availability_stale: bool | None | Unset = UNSET,
    closed: bool | None | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_care_type: None | str | Unset
    if isinstance(care_type, Unset):
        json_care_type = UNSET
    elif isinstance(care_type, ListUnitsCareTypeType0):
        json_care_type = care_type.value
    else:
        json_care_type = care_type
    params["care_type"] = json_care_type

    json_target_group: None | str | Unset
    if isinstance(target_group, Unset):
        json_target_group = UNSET
    elif isinstance(target_group, ListUnitsTargetGroupType0):
        json_target_group = target_group.value
    else:
        json_target_group = target_group
    params["target_group"] = json_target_group

    json_age: int | None | Unset
    if isinstance(age, Unset):
        json_age = UNSET
    else:
        json_age = age
    params["age"] = json_age

    json_in_region: bool | None | Unset
    if isinstance(in_region, Unset):
        json_in_region = UNSET
    else:
        json_in_region = in_region
    params["in_region"] = json_in_region

    params["available_only"] = available_only

    json_provider_id: None | str | Unset
    if isinstance(provider_id, Unset):
        json_provider_id = UNSET
    else:
        json_provider_id = provider_id
    params["provider_id"] = json_provider_id

    json_id: list[str] | None | Unset
    if isinstance(id, Unset):
        json_id = UNSET
    elif isinstance(id, list):
        json_id = id

    else:
        json_id = id
    params["id"] = json_id

    json_availability_stale: bool | None | Unset
    if isinstance(availability_stale, Unset):
        json_availability_stale = UNSET
    else:
        json_availability_stale = availability_stale
    params["availability_stale"] = json_availability_stale

    json_closed: bool | None | Unset
    if isinstance(closed, Unset):
        json_closed = UNSET
    else:
        json_closed = closed
    params["closed"] = json_closed

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/units",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | UnitList | None:
    if response.status_code == 200:
        response_200 = UnitList.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | UnitList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    care_type: ListUnitsCareTypeType0 | None | Unset = UNSET,
    target_group: ListUnitsTargetGroupType0 | None | Unset = UNSET,
    age: int | None | Unset = UNSET,
    in_region: bool | None | Unset = UNSET,
    available_only: bool | Unset = False,
    provider_id: None | str | Unset = UNSET,
    id: list[str] | None | Unset = UNSET,
    availability_stale: bool | None | Unset = UNSET,
    closed: bool | None | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Response[Problem | UnitList]:
    """List Units

    Args:
        care_type (ListUnitsCareTypeType0 | None | Unset):
        target_group (ListUnitsTargetGroupType0 | None | Unset):
        age (int | None | Unset):
        in_region (bool | None | Unset):
        available_only (bool | Unset):  Default: False.
        provider_id (None | str | Unset):
        id (list[str] | None | Unset): only these units (repeat: ?id=a&id=b)
        availability_stale (bool | None | Unset): true: the open units whose free places were last
            confirmed too long ago
        closed (bool | None | Unset):
        limit (int | Unset): page size Default: 100.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UnitList]
    """

    kwargs = _get_kwargs(
        care_type=care_type,
        target_group=target_group,
        age=age,
        in_region=in_region,
        available_only=available_only,
        provider_id=provider_id,
        id=id,
        availability_stale=availability_stale,
        closed=closed,
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
    care_type: ListUnitsCareTypeType0 | None | Unset = UNSET,
    target_group: ListUnitsTargetGroupType0 | None | Unset = UNSET,
    age: int | None | Unset = UNSET,
    in_region: bool | None | Unset = UNSET,
    available_only: bool | Unset = False,
    provider_id: None | str | Unset = UNSET,
    id: list[str] | None | Unset = UNSET,
    availability_stale: bool | None | Unset = UNSET,
    closed: bool | None | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Problem | UnitList | None:
    """List Units

    Args:
        care_type (ListUnitsCareTypeType0 | None | Unset):
        target_group (ListUnitsTargetGroupType0 | None | Unset):
        age (int | None | Unset):
        in_region (bool | None | Unset):
        available_only (bool | Unset):  Default: False.
        provider_id (None | str | Unset):
        id (list[str] | None | Unset): only these units (repeat: ?id=a&id=b)
        availability_stale (bool | None | Unset): true: the open units whose free places were last
            confirmed too long ago
        closed (bool | None | Unset):
        limit (int | Unset): page size Default: 100.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UnitList
    """

    return sync_detailed(
        client=client,
        care_type=care_type,
        target_group=target_group,
        age=age,
        in_region=in_region,
        available_only=available_only,
        provider_id=provider_id,
        id=id,
        availability_stale=availability_stale,
        closed=closed,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    care_type: ListUnitsCareTypeType0 | None | Unset = UNSET,
    target_group: ListUnitsTargetGroupType0 | None | Unset = UNSET,
    age: int | None | Unset = UNSET,
    in_region: bool | None | Unset = UNSET,
    available_only: bool | Unset = False,
    provider_id: None | str | Unset = UNSET,
    id: list[str] | None | Unset = UNSET,
    availability_stale: bool | None | Unset = UNSET,
    closed: bool | None | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Response[Problem | UnitList]:
    """List Units

    Args:
        care_type (ListUnitsCareTypeType0 | None | Unset):
        target_group (ListUnitsTargetGroupType0 | None | Unset):
        age (int | None | Unset):
        in_region (bool | None | Unset):
        available_only (bool | Unset):  Default: False.
        provider_id (None | str | Unset):
        id (list[str] | None | Unset): only these units (repeat: ?id=a&id=b)
        availability_stale (bool | None | Unset): true: the open units whose free places were last
            confirmed too long ago
        closed (bool | None | Unset):
        limit (int | Unset): page size Default: 100.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UnitList]
    """

    kwargs = _get_kwargs(
        care_type=care_type,
        target_group=target_group,
        age=age,
        in_region=in_region,
        available_only=available_only,
        provider_id=provider_id,
        id=id,
        availability_stale=availability_stale,
        closed=closed,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    care_type: ListUnitsCareTypeType0 | None | Unset = UNSET,
    target_group: ListUnitsTargetGroupType0 | None | Unset = UNSET,
    age: int | None | Unset = UNSET,
    in_region: bool | None | Unset = UNSET,
    available_only: bool | Unset = False,
    provider_id: None | str | Unset = UNSET,
    id: list[str] | None | Unset = UNSET,
    availability_stale: bool | None | Unset = UNSET,
    closed: bool | None | Unset = UNSET,
    limit: int | Unset = 100,
    offset: int | Unset = 0,
) -> Problem | UnitList | None:
    """List Units

    Args:
        care_type (ListUnitsCareTypeType0 | None | Unset):
        target_group (ListUnitsTargetGroupType0 | None | Unset):
        age (int | None | Unset):
        in_region (bool | None | Unset):
        available_only (bool | Unset):  Default: False.
        provider_id (None | str | Unset):
        id (list[str] | None | Unset): only these units (repeat: ?id=a&id=b)
        availability_stale (bool | None | Unset): true: the open units whose free places were last
            confirmed too long ago
        closed (bool | None | Unset):
        limit (int | Unset): page size Default: 100.
        offset (int | Unset): how many items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UnitList
    """

    return (
        await asyncio_detailed(
            client=client,
            care_type=care_type,
            target_group=target_group,
            age=age,
            in_region=in_region,
            available_only=available_only,
            provider_id=provider_id,
            id=id,
            availability_stale=availability_stale,
            closed=closed,
            limit=limit,
            offset=offset,
        )
    ).parsed
