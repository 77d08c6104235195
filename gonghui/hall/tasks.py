from django.tasks import task
from django.utils import timezone

from gonghui.hall import portal_push
from gonghui.hall.models import Rating


@task
def push_rating(rating_id: int) -> None:
    rating = Rating.objects.select_related("request__service_type", "request__handling_organization").get(pk=rating_id)
    if rating.pushed_at:
        return
    portal_push.backend().push(portal_push.payload(rating))
    Rating.objects.filter(pk=rating_id).update(pushed_at=timezone.now())
