"""The outbox: what intake asks another service is stored before it is sent, so that nothing is lost
when that service, or this process, is not there to answer.

A use case does not run in one transaction. It writes its change and an outbox row (a match request,
or a capacity command) in one transaction, commits, and only then calls the other service, outside
any transaction; the answer is applied in a transaction of its own. A match request is claimed under
a lease (`claimed_by`, `claimed_until`) by a conditional UPDATE, so that of several replicas one sends
it; the decision is applied by a conditional UPDATE of the request that closes it, so that a decision
delivered twice is applied once. A row that could not be sent stays open with its next attempt time,
and the workers send it again (process_outbox, send_capacity_commands) with a growing pause
(outbox.rules). Places a request held that no proposal stands on are given back by a release command.

match_requests.py   match requests: store, claim, ask matching, apply the decision, retry.
commands.py         capacity commands as stored, in the transaction of their change.
capacity_commands.py  sending them, now and by the workers; completing an accept whose answer was lost.
"""
