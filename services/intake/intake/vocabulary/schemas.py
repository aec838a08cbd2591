"""The answer of `GET /v1/vocabulary`: each section a list of codes with their Dutch and English labels."""

from __future__ import annotations

from pydantic import BaseModel, Field

from contracts.vocabulary import Vocabulary


class TermOut(BaseModel):
    code: str
    nl: str = Field(description="the label in Dutch")
    en: str = Field(description="the label in English")


class VocabularyOut(BaseModel):
    needs: list[TermOut] = Field(description="a referral's needs, and the codes of a unit's specialisms")
    risk_flags: list[TermOut]
    vulnerabilities: list[TermOut]
    wishes: list[TermOut] = Field(description="the child's wishes, as heard")
    decline_reasons: list[TermOut]
    split_reasons: list[TermOut] = Field(description="why brothers and sisters are placed apart")
    exclusion_reasons: list[TermOut] = Field(description="why a matching decision left a unit out")
    score_parts: list[TermOut] = Field(description="the parts of a suitable unit's score in a matching decision")

    @classmethod
    def of(cls, vocabulary: Vocabulary) -> VocabularyOut:
        return cls.model_validate(vocabulary.model_dump())
