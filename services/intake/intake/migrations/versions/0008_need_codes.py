"""needs become codes of the vocabulary: stored free-text needs are mapped to a code where one fits,
the rest kept in intake only, in the new column `needs_free_text`

Before, a need was any word of the code's shape ("hechting", "autisme", "addiction"); from now on it is
one of the vocabulary's codes (contracts/vocabulary.toml). Each stored need is looked up in the table
below (Dutch and English words, as referrers wrote them); one that maps to no code leaves `needs` and
is kept, as it was written, in `needs_free_text`, which only intake reads and which is never sent to
another service. The table is part of this migration on purpose: it says how the data of that moment
was read, and does not change with the vocabulary after it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The code of the default vocabulary each word stands for; words are compared in lowercase, with `_`
# and `-` read as spaces. The codes themselves are listed as their own words.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "trauma": ("trauma", "traumas", "ptss", "ptsd", "traumatisering", "getraumatiseerd", "traumabehandeling",
               "traumasensitief", "traumasensitieve zorg", "post traumatic stress", "trauma informed care"),
    "attachment": ("attachment", "hechting", "hechtingsproblematiek", "hechtingsproblemen", "hechtingsstoornis",
                   "attachment disorder", "attachment difficulties", "attachment problems"),
    "autism": ("autism", "autisme", "ass", "asd", "autismespectrumstoornis", "autisme spectrum stoornis",
               "autism spectrum disorder", "autismevriendelijk", "autistic"),
    "adhd": ("adhd", "add", "ad hd"),
    "self_harm": ("self harm", "selfharm", "self injury", "zelfbeschadiging", "zelfbeschadigend gedrag",
                  "zelfverwonding", "automutilatie"),
    "suicidality": ("suicidality", "suicidal", "suicide risk", "suicidaliteit", "suïcidaliteit",
                    "suicidegevaar", "suïcidegevaar", "suicidale gedachten", "suïcidale gedachten"),
    "substance_use": ("substance use", "substance abuse", "addiction", "drugs", "alcohol", "drug use",
                      "verslaving", "verslavingsproblematiek", "middelengebruik", "drugsgebruik",
                      "alcoholgebruik", "verslaafd"),
    "eating_disorder": ("eating disorder", "eating disorders", "eetstoornis", "eetstoornissen", "anorexia",
                        "anorexia nervosa", "boulimia", "boulimie"),
    "sexual_exploitation": ("sexual exploitation", "human trafficking", "trafficking", "seksuele uitbuiting",
                            "uitbuiting", "mensenhandel", "loverboy", "loverboys", "loverboyproblematiek"),
    "sexually_transgressive_behaviour": ("sexually transgressive behaviour", "sexually transgressive behavior",
                                         "harmful sexual behaviour", "harmful sexual behavior",
                                         "seksueel grensoverschrijdend gedrag", "grensoverschrijdend gedrag", "sgg"),
    "aggression": ("aggression", "aggressive behaviour", "aggressive behavior", "violence", "agressie",
                   "agressief gedrag", "agressieregulatie", "geweld"),
    "young_parent": ("young parent", "young mother", "teenage mother", "teenage parent", "jonge ouder",
                     "jonge moeder", "tienermoeder", "tienerouder", "moeder kind", "moeder en kind"),
    "unaccompanied_minor": ("unaccompanied minor", "unaccompanied minors", "unaccompanied", "amv",
                            "alleenstaande minderjarige", "alleenstaande minderjarige vreemdeling",
                            "alleenstaande minderjarige vreemdelingen"),
    "psychiatric_care": ("psychiatric care", "psychiatry", "psychiatric", "psychiatrie", "psychiatrisch",
                         "psychiatrische zorg", "psychiatrische problematiek", "kinder en jeugdpsychiatrie",
                         "jeugdpsychiatrie", "psychose", "psychosis"),
}  # fmt: skip

CODES: dict[str, str] = {word: code for code, words in SYNONYMS.items() for word in words}


def code_for(word: str) -> str | None:
    """The code a stored need stands for, or None when it maps to none."""
    return CODES.get(" ".join(word.lower().replace("_", " ").replace("-", " ").split()))


def split_needs(words: list[str]) -> tuple[list[str], list[str]]:
    """The codes the words stand for (each once, in the order of the words), and the words that stand
    for none, as written."""
    codes: list[str] = []
    free_text: list[str] = []
    for word in words:
        code = code_for(word)
        if code is None:
            free_text.append(word)
        elif code not in codes:
            codes.append(code)
    return codes, free_text


referrals = sa.table(
    "referrals",
    sa.column("id", sa.String),
    sa.column("needs", sa.JSON),
    sa.column("needs_free_text", sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("needs_free_text", sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(referrals.c.id, referrals.c.needs)).all()
    for referral_id, needs in rows:
        words = list(needs or [])
        codes, free_text = split_needs(words)
        if codes == words and not free_text:
            continue
        connection.execute(
            sa.update(referrals)
            .where(referrals.c.id == referral_id)
            .values(needs=codes, needs_free_text=free_text or None)
        )


def downgrade() -> None:
    # The words are put back beside the codes, so that nothing a referrer wrote is lost.
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(referrals.c.id, referrals.c.needs, referrals.c.needs_free_text).where(
            referrals.c.needs_free_text.is_not(None)
        )
    ).all()
    for referral_id, needs, free_text in rows:
        connection.execute(
            sa.update(referrals)
            .where(referrals.c.id == referral_id)
            .values(needs=list(needs or []) + list(free_text or []))
        )
    with op.batch_alter_table("referrals") as batch:
        batch.drop_column("needs_free_text")
