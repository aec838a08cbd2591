"""HTTP routers of the capacity service: parse, authorise, call one use case, shape the answer."""
