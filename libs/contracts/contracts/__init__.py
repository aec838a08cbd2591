"""The wire shapes between the Regiepunt services, defined once (docs/internal-api.md).

`vocabulary` holds the words every service speaks (care types, target groups, the grounds to place
outside the region, the reasons a unit is left out, the shape of a code) and reads the configured
vocabulary of codes with their Dutch and English labels (`vocabulary.toml`); `matching` the decision
request and answer; `capacity` the candidates, reservations and free places that matching and intake
read; `client_keys` the pairs of old and new pseudonyms intake sends both after the client key
was rotated. Each service still owns its database: only what crosses the wire is shared here.
"""
