"""Importers: read ticket histories from other systems into staged tickets and events.

One module per source format (``servicenow``, ``events``, ``tickets``); each turns a
file into a :class:`~servicegate.importers.staging.Staging` without touching the
database. :mod:`servicegate.importers.writer` stores a staging in one transaction, so
an import is all-or-nothing per file.
"""
