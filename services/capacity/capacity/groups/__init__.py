"""The group in a unit: the children staying there now, as a profile without ids."""
