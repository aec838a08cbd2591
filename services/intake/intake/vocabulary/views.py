"""Route of the vocabulary: the codes every participant reads labels from."""

from fastapi import APIRouter

from common.auth import CurrentPrincipal
from common.openapi import problem_responses
from intake.deps import ContextDep
from intake.vocabulary.schemas import VocabularyOut

router = APIRouter(tags=["vocabulary"])


@router.get(
    "/v1/vocabulary",
    response_model=VocabularyOut,
    operation_id="get_vocabulary",
    responses=problem_responses(401, 403, 503),
)
async def get_vocabulary(_: CurrentPrincipal, ctx: ContextDep) -> VocabularyOut:
    """The codes of needs (also a unit's specialisms), risk flags, vulnerabilities, wishes, decline and
    split reasons, with their labels in Dutch and English; and the words of a matching decision's
    exclusion reasons and score parts. Configured by REGIEPUNT_VOCABULARY_FILE."""
    return VocabularyOut.of(ctx.vocabulary)
