from datetime import timedelta

from gonghui.core.scheduler import periodic
from gonghui.employment import fairs, recommendations


@periodic("employment.daily_recommendations", every=timedelta(hours=24))
def daily_recommendations():
    return recommendations.run_daily()


@periodic("employment.close_finished_fairs", every=timedelta(hours=1))
def close_finished_fairs():
    return {"closed": fairs.close_finished()}


@periodic("employment.weekly_hr_archive", every=timedelta(days=7))
def weekly_hr_archive():
    from gonghui.employment import exchange

    return {"files": len(exchange.write_weekly_archive())}
