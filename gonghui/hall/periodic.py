from datetime import timedelta

from gonghui.core.scheduler import periodic
from gonghui.hall import services


@periodic("hall.remind_due", every=timedelta(hours=1))
def remind_due():
    return services.remind_due()


@periodic("hall.escalate_overdue", every=timedelta(hours=1))
def escalate_overdue():
    return services.escalate_overdue()
