"""``clearance serve``: the screening server, speaking yente's matching API (yente 5.x shapes).

:func:`~clearance.server.app.create_app` builds the FastAPI application around a
:class:`~clearance.server.state.ServerState` (the registry and its screening index, loaded
once); :mod:`clearance.server.running` serves it with uvicorn in one or several forked
workers that share the index built before the fork.
"""
