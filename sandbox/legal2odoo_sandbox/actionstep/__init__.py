"""A local Actionstep REST API serving the synthetic firm with the real API's quirks.

`app.ActionstepApp` is an ASGI app (use it in-process through httpx.ASGITransport);
`server.serve` runs it on a real socket; `mutate` changes the firm between runs.
"""
