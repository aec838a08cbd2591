"""a unit's specialisms become codes of the vocabulary; the words that map to no code become the unit's
new `description`

Before, a specialism was any word ("traumasensitief", "Autisme", "sport en spel"); from now on it is one
of the codes of the vocabulary's needs (contracts/vocabulary.toml). Each stored specialism is looked up
in the table below (Dutch and English words, as providers wrote them); the words that map to no code
are kept as the unit's description, which is text about the unit (never about a child). The table is
part of this migration on purpose: it says how the data of that moment was read, and does not change
with the vocabulary after it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The code of the default vocabulary each word stands for; words are compared in lowercase, with `_`
# and `-` read as spaces. The codes themselves are listed as their own words.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "trauma": ("trauma", "traumas", "ptss", "ptsd", "traumatisering", "traumabehandeling", "traumasensitief",
               "traumasensitieve zorg", "trauma informed care", "trauma sensitive"),
    "attachment": ("attachment", "hechting", "hechtingsproblematiek", "hechtingsproblemen", "hechtingsstoornis",
                   "attachment disorder", "attachment difficulties"),
    "autism": ("autism", "autisme", "ass", "asd", "autismespectrumstoornis", "autisme spectrum stoornis",
               "autism spectrum disorder", "autismevriendelijk", "autism friendly"),
    "adhd": ("adhd", "add", "ad hd"),
    "self_harm": ("self harm", "selfharm", "self injury", "zelfbeschadiging", "zelfbeschadigend gedrag",
                  "zelfverwonding", "automutilatie"),
    "suicidality": ("suicidality", "suicide prevention", "suicidaliteit", "suïcidaliteit", "suicidepreventie",
                    "suïcidepreventie"),
    "substance_use": ("substance use", "substance abuse", "addiction", "addiction care", "verslaving",
                      "verslavingszorg", "verslavingsproblematiek", "middelengebruik", "drugsgebruik"),
    "eating_disorder": ("eating disorder", "eating disorders", "eetstoornis", "eetstoornissen", "anorexia",
                        "boulimia", "boulimie"),
    "sexual_exploitation": ("sexual exploitation", "human trafficking", "seksuele uitbuiting", "uitbuiting",
                            "mensenhandel", "loverboy", "loverboys", "loverboyproblematiek"),
    "sexually_transgressive_behaviour": ("sexually transgressive behaviour", "sexually transgressive behavior",
                                         "harmful sexual behaviour", "harmful sexual behavior",
                                         "seksueel grensoverschrijdend gedrag", "grensoverschrijdend gedrag", "sgg"),
    "aggression": ("aggression", "aggressive behaviour", "aggressive behavior", "agressie", "agressief gedrag",
                   "agressieregulatie"),
    "young_parent": ("young parent", "young parents", "young mother", "teenage mother", "jonge ouder",
                     "jonge ouders", "jonge moeder", "tienermoeder", "tienermoeders", "moeder kind",
                     "moeder en kind"),
    "unaccompanied_minor": ("unaccompanied minor", "unaccompanied minors", "amv", "alleenstaande minderjarige",
                            "alleenstaande minderjarige vreemdeling", "alleenstaande minderjarige vreemdelingen"),
    "psychiatric_care": ("psychiatric care", "psychiatry", "psychiatrie", "psychiatrische zorg",
                         "kinder en jeugdpsychiatrie", "jeugdpsychiatrie"),
}  # fmt: skip

CODES: dict[str, str] = {word: code for code, words in SYNONYMS.items() for word in words}
DESCRIPTION_MAX = 2000


def code_for(word: str) -> str | None:
    """The code a stored specialism stands for, or None when it maps to none."""
    return CODES.get(" ".join(word.lower().replace("_", " ").replace("-", " ").split()))


def split_specialisms(words: list[str]) -> tuple[list[str], str | None]:
    """The codes the words stand for (each once, in the order of the words), and the words that stand
    for none as one description."""
    codes: list[str] = []
    free_text: list[str] = []
    for word in words:
        code = code_for(word)
        if code is None:
            free_text.append(word.strip())
        elif code not in codes:
            codes.append(code)
    description = "; ".join(dict.fromkeys(word for word in free_text if word))
    return codes, description[:DESCRIPTION_MAX] or None


units = sa.table(
    "units",
    sa.column("id", sa.String),
    sa.column("specialisms", sa.JSON),
    sa.column("description", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("description", sa.Text(), nullable=True))
    connection = op.get_bind()
    for unit_id, specialisms in connection.execute(sa.select(units.c.id, units.c.specialisms)).all():
        words = list(specialisms or [])
        codes, description = split_specialisms(words)
        if codes == words and description is None:
            continue
        connection.execute(
            sa.update(units).where(units.c.id == unit_id).values(specialisms=codes, description=description)
        )


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.drop_column("description")
