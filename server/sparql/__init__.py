"""The public SPARQL 1.1 endpoint and the authenticated write interface (docs/design.md "SPARQL endpoint").

Kept free of imports: the query processes import `server.sparql.engine` and nothing else of the server.
"""
