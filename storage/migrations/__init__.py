"""Numbered migrations: ``NNNN_name.py`` modules with ``up(db)``, applied in order, never edited once shipped."""
