"""Signals of the organisation registry, for apps above it (orgs knows no app that listens)."""

from django.dispatch import Signal

# Sent inside the transaction when an enterprise stops operating: enterprise=, actor=.
enterprise_closed = Signal()
