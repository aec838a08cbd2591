"""Tables of the matching service."""

from sqlalchemy.orm import DeclarativeBase

from common.db import new_metadata

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata
