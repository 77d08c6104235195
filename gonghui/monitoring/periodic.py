from datetime import timedelta

from gonghui.core.scheduler import periodic
from gonghui.monitoring import briefs, channels, ingestion


@periodic("monitoring.pull_feeds", every=timedelta(minutes=5))
def pull_feeds():
    return channels.pull_due_feeds()


@periodic("monitoring.internal_channels", every=timedelta(minutes=10))
def internal_channels():
    return channels.take_in_hall_requests()


@periodic("monitoring.briefs", every=timedelta(hours=1))
def scheduled_briefs():
    return briefs.scheduled()


@periodic("monitoring.alert_sweep", every=timedelta(minutes=10))
def alert_sweep():
    return ingestion.sweep_unevaluated()
