"""Places summed in the database, without listing every unit: per care type inside and outside the
region (a coordinator's dashboard, the occupancy indicator), and the kinds of unit with a free place
(which waiting children a freed place could be for)."""
