"""Storage: the only package that speaks SQL.

Every function takes a :class:`sqlite_utils.Database` first and returns plain dicts or values.
Open a database with :func:`storage.db.connect`; :class:`storage.db.Store` hands out one
connection per thread.
"""
