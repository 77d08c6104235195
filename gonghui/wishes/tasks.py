from django.tasks import task

from gonghui.wishes import services


@task
def run_matching(user_id: int | None = None) -> int:
    from gonghui.accounts.models import User

    actor = User.objects.filter(pk=user_id).first() if user_id else None
    return services.run_matching(actor=actor).pk
