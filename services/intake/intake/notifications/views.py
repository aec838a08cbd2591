"""Routes of the webhook subscriptions: providers, referrers and coordinators subscribe to the events
they may hear, by webhook or e-mail; auditors have no part in them."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.bounds import Offset
from common.deps import IdPath
from common.openapi import problem_responses
from intake.deps import ContextDep, Reader
from intake.notifications import service as notifications
from intake.notifications.schemas import DeliveryAttemptPage, WebhookCreated, WebhookIn, WebhookPage

router = APIRouter(tags=["webhooks"])

Limit = Annotated[int, Query(ge=1, le=200)]


@router.post(
    "/v1/webhooks",
    status_code=201,
    response_model=WebhookCreated,
    operation_id="create_webhook",
    responses=problem_responses(400, 401, 403, 413, 422, 503),
)
async def create_webhook(body: WebhookIn, principal: Reader, ctx: ContextDep) -> WebhookCreated:
    """The secret (whsec_…) is shown in this answer only."""
    return await notifications.subscribe(ctx, principal, body)


@router.get(
    "/v1/webhooks",
    response_model=WebhookPage,
    operation_id="list_webhooks",
    responses=problem_responses(401, 403, 422, 503),
)
async def list_webhooks(principal: Reader, ctx: ContextDep, limit: Limit = 50, offset: Offset = 0) -> WebhookPage:
    return await notifications.list_subscriptions(ctx, principal, limit=limit, offset=offset)


@router.delete(
    "/v1/webhooks/{id}",
    status_code=204,
    response_class=Response,
    operation_id="delete_webhook",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def delete_webhook(subscription_id: IdPath, principal: Reader, ctx: ContextDep) -> Response:
    await notifications.delete_subscription(ctx, principal, subscription_id)
    return Response(status_code=204)


@router.get(
    "/v1/webhooks/{id}/deliveries",
    response_model=DeliveryAttemptPage,
    operation_id="list_webhook_deliveries",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def list_deliveries(
    subscription_id: IdPath, principal: Reader, ctx: ContextDep, limit: Limit = 50, offset: Offset = 0
) -> DeliveryAttemptPage:
    return await notifications.list_attempts(ctx, principal, subscription_id, limit=limit, offset=offset)
