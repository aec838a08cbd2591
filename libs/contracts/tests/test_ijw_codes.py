"""The iJw mapping covers every value of ours that the standard has a code for, with codes of its lists."""

from contracts import ijw
from contracts.vocabulary import CareType

# The codes of COD327, JZ020 (the residential ones) and JZ588 that the mapping may use (iJw release 3.2).
COD327 = {"01", "02", "03", "04", "05", "06", "08"}
JZ020_RESIDENTIAL = {"43", "44", "46"}
JZ588 = {"02", "20", "31", "32", "33", "34", "35", "36", "37", "38", "39"}


def test_every_referrer_type_has_its_cod327_code() -> None:
    types = ("local_team", "gp", "youth_doctor", "certified_institution", "medical_specialist", "court")
    assert [ijw.verwijzer_code(t) for t in types] == ["01", "02", "03", "04", "05", "08"]
    assert ijw.verwijzer_code(None) is None


def test_every_care_type_has_a_residential_product_category() -> None:
    codes = {care_type.value: ijw.productcategorie(care_type.value) for care_type in CareType}
    assert set(codes.values()) <= JZ020_RESIDENTIAL
    assert codes["crisis"] == "46"
    assert codes["family_home"] == "44" and codes["secure"] == "43"


def test_end_reasons_map_to_jz588_and_other_to_none() -> None:
    reasons = ("returned_home", "onward_placement", "independent_living", "breakdown")
    assert all(ijw.reden_beeindiging(reason) in JZ588 for reason in reasons)
    assert ijw.reden_beeindiging("breakdown") == "33"
    assert ijw.reden_beeindiging("other") is None
