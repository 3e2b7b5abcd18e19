"""Live sessions: events, payloads per audience, websocket consumers.

``events`` is what services call (on commit); ``snapshot`` builds the state
payload per audience; ``consumers`` are the thin websocket endpoints;
``throttle`` coalesces vote progress.
"""
