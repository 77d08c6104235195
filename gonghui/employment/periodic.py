from datetime import timedelta

from gonghui.core.scheduler import periodic
from gonghui.employment import recommendations


@periodic("employment.daily_recommendations", every=timedelta(hours=24))
def daily_recommendations():
    return recommendations.run_daily()
