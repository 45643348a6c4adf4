"""Template filters of the promise history: entries as sentences in the reader's language."""

from __future__ import annotations

from django import template

from servicegate.promises.history_text import sentences
from servicegate.promises.models import AuditEntry

register = template.Library()


@register.filter
def history_sentences(entry: AuditEntry) -> list[str]:
    """``{% for s in entry|history_sentences %}``: what the entry records, as sentences."""
    return sentences(entry)
