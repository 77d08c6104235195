from datetime import timedelta

from gonghui.core.scheduler import periodic
from gonghui.hardship import services


@periodic("hardship.review_reminders", every=timedelta(hours=24))
def review_reminders():
    return services.remind_reviews()


@periodic("hardship.return_watch", every=timedelta(hours=24))
def return_watch():
    return services.watch_returns()
