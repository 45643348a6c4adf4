"""Signals of the calendars app.

``calendar_changed`` is sent (after the transaction commits) with ``calendar`` when a
calendar's definition changed, so that clocks running on it are recomputed.
"""

from django.dispatch import Signal

calendar_changed = Signal()
