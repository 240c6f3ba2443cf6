"""The publish engine: ``plan``/``publish``, ``diff``, ``import``, ``status``, retiring.

A regular package, not a namespace one, so that the import contracts (pyproject.toml) see
its modules: entry points (``service``) over the engine over the step table over the
steps over ``run`` over ``desired`` and ``journal``.
"""
