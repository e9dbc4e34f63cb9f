"""Bolt listeners, one module per kind of request. Each imports only the toolkit (respond, messages,
views, blocks, ids, people, deps) and its use cases, never another listener module."""
