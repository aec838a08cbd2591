from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.candidates import Candidates
from ...models.find_candidates_care_type import FindCandidatesCareType
from ...models.find_candidates_excluded_outside import FindCandidatesExcludedOutside
from ...models.find_candidates_excluded_unfit import FindCandidatesExcludedUnfit
from ...models.find_candidates_region import FindCandidatesRegion
from ...models.find_candidates_target_group import FindCandidatesTargetGroup
from ...models.find_candidates_view import FindCandidatesView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    care_type: FindCandidatesCareType,
    target_group: FindCandidatesTargetGroup,
    age: int,
    region: FindCandidatesRegion | Unset = FindCandidatesRegion.ALL,
    excluded_outside: FindCandidatesExcludedOutside | Unset = FindCandidatesExcludedOutside.LIST,
    view: FindCandidatesView | Unset = FindCandidatesView.FULL,
    excluded_unfit: FindCandidatesExcludedUnfit | Unset = FindCandidatesExcludedUnfit.LIST,
    request_id: None | str | Unset = UNSET,
    group: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_care_type = care_type.value
    params["care_type"] = json_care_type

    json_target_group = target_group.value
    params["target_group"] = json_target_group

    params["age"] = age

    json_region: str | Unset = UNSET
    if not isinstance(region, Unset):
        json_region = region.value

    params["region"] = json_region

    json_excluded_outside: str | Unset = UNSET
    if not isinstance(excluded_outside, Unset):
        json_excluded_outside = excluded_outside.value

    params["excluded_outside"] = json_excluded_outside

    json_view: str | Unset = UNSET
    if not isinstance(view, Unset):
        json_view = view.value

    params["view"] = json_view

    json_excluded_unfit: str | Unset = UNSET
    if not isinstance(excluded_unfit, Unset):
        json_excluded_unfit = excluded_unfit.value

    params["excluded_unfit"] = json_excluded_unfit

    json_request_id: None | str | Unset
    if isinstance(request_id, Unset):
        json_request_id = UNSET
    else:
        json_request_id = request_id
    params["request_id"] = json_request_id

    params["group"] = group

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/candidates",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Candidates | Problem | None:
    if response.status_code == 200:
        response_200 = Candidates.from_dict(response.json())

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
) -> Response[Candidates | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    care_type: FindCandidatesCareType,
    target_group: FindCandidatesTargetGroup,
    age: int,
    region: FindCandidatesRegion | Unset = FindCandidatesRegion.ALL,
    excluded_outside: FindCandidatesExcludedOutside | Unset = FindCandidatesExcludedOutside.LIST,
    view: FindCandidatesView | Unset = FindCandidatesView.FULL,
    excluded_unfit: FindCandidatesExcludedUnfit | Unset = FindCandidatesExcludedUnfit.LIST,
    request_id: None | str | Unset = UNSET,
    group: bool | Unset = False,
) -> Response[Candidates | Problem]:
    """Candidates

    Args:
        care_type (FindCandidatesCareType):
        target_group (FindCandidatesTargetGroup):
        age (int):
        region (FindCandidatesRegion | Unset):  Default: FindCandidatesRegion.ALL.
        excluded_outside (FindCandidatesExcludedOutside | Unset):  Default:
            FindCandidatesExcludedOutside.LIST.
        view (FindCandidatesView | Unset):  Default: FindCandidatesView.FULL.
        excluded_unfit (FindCandidatesExcludedUnfit | Unset):  Default:
            FindCandidatesExcludedUnfit.LIST.
        request_id (None | str | Unset):
        group (bool | Unset): add the group profiles and the production use Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Candidates | Problem]
    """

    kwargs = _get_kwargs(
        care_type=care_type,
        target_group=target_group,
        age=age,
        region=region,
        excluded_outside=excluded_outside,
        view=view,
        excluded_unfit=excluded_unfit,
        request_id=request_id,
        group=group,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    care_type: FindCandidatesCareType,
    target_group: FindCandidatesTargetGroup,
    age: int,
    region: FindCandidatesRegion | Unset = FindCandidatesRegion.ALL,
    excluded_outside: FindCandidatesExcludedOutside | Unset = FindCandidatesExcludedOutside.LIST,
    view: FindCandidatesView | Unset = FindCandidatesView.FULL,
    excluded_unfit: FindCandidatesExcludedUnfit | Unset = FindCandidatesExcludedUnfit.LIST,
    request_id: None | str | Unset = UNSET,
    group: bool | Unset = False,
) -> Candidates | Problem | None:
    """Candidates

    Args:
        care_type (FindCandidatesCareType):
        target_group (FindCandidatesTargetGroup):
        age (int):
        region (FindCandidatesRegion | Unset):  Default: FindCandidatesRegion.ALL.
        excluded_outside (FindCandidatesExcludedOutside | Unset):  Default:
            FindCandidatesExcludedOutside.LIST.
        view (FindCandidatesView | Unset):  Default: FindCandidatesView.FULL.
        excluded_unfit (FindCandidatesExcludedUnfit | Unset):  Default:
            FindCandidatesExcludedUnfit.LIST.
        request_id (None | str | Unset):
        group (bool | Unset): add the group profiles and the production use Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Candidates | Problem
    """

    return sync_detailed(
        client=client,
        care_type=care_type,
        target_group=target_group,
        age=age,
        region=region,
        excluded_outside=excluded_outside,
        view=view,
        excluded_unfit=excluded_unfit,
        request_id=request_id,
        group=group,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    care_type: FindCandidatesCareType,
    target_group: FindCandidatesTargetGroup,
    age: int,
    region: FindCandidatesRegion | Unset = FindCandidatesRegion.ALL,
    excluded_outside: FindCandidatesExcludedOutside | Unset = FindCandidatesExcludedOutside.LIST,
    view: FindCandidatesView | Unset = FindCandidatesView.FULL,
    excluded_unfit: FindCandidatesExcludedUnfit | Unset = FindCandidatesExcludedUnfit.LIST,
    request_id: None | str | Unset = UNSET,
    group: bool | Unset = False,
) -> Response[Candidates | Problem]:
    """Candidates

    Args:
        care_type (FindCandidatesCareType):
        target_group (FindCandidatesTargetGroup):
        age (int):
        region (FindCandidatesRegion | Unset):  Default: FindCandidatesRegion.ALL.
        excluded_outside (FindCandidatesExcludedOutside | Unset):  Default:
            FindCandidatesExcludedOutside.LIST.
        view (FindCandidatesView | Unset):  Default: FindCandidatesView.FULL.
        excluded_unfit (FindCandidatesExcludedUnfit | Unset):  Default:
            FindCandidatesExcludedUnfit.LIST.
        request_id (None | str | Unset):
        group (bool | Unset): add the group profiles and the production use Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Candidates | Problem]
    """

    kwargs = _get_kwargs(
        care_type=care_type,
        target_group=target_group,
        age=age,
        region=region,
        excluded_outside=excluded_outside,
        view=view,
        excluded_unfit=excluded_unfit,
        request_id=request_id,
        group=group,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    care_type: FindCandidatesCareType,
    target_group: FindCandidatesTargetGroup,
    age: int,
    region: FindCandidatesRegion | Unset = FindCandidatesRegion.ALL,
    excluded_outside: FindCandidatesExcludedOutside | Unset = FindCandidatesExcludedOutside.LIST,
    view: FindCandidatesView | Unset = FindCandidatesView.FULL,
    excluded_unfit: FindCandidatesExcludedUnfit | Unset = FindCandidatesExcludedUnfit.LIST,
    request_id: None | str | Unset = UNSET,
    group: bool | Unset = False,
) -> Candidates | Problem | None:
    """Candidates

    Args:
        care_type (FindCandidatesCareType):
        target_group (FindCandidatesTargetGroup):
        age (int):
        region (FindCandidatesRegion | Unset):  Default: FindCandidatesRegion.ALL.
        excluded_outside (FindCandidatesExcludedOutside | Unset):  Default:
            FindCandidatesExcludedOutside.LIST.
        view (FindCandidatesView | Unset):  Default: FindCandidatesView.FULL.
        excluded_unfit (FindCandidatesExcludedUnfit | Unset):  Default:
            FindCandidatesExcludedUnfit.LIST.
        request_id (None | str | Unset):
        group (bool | Unset): add the group profiles and the production use Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Candidates | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            care_type=care_type,
            target_group=target_group,
            age=age,
            region=region,
            excluded_outside=excluded_outside,
            view=view,
            excluded_unfit=excluded_unfit,
            request_id=request_id,
            group=group,
        )
    ).parsed
