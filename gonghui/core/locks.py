from gonghui.core.models import Lock


def named_lock(name: str) -> None:
    """Block until this transaction holds the named lock (a row lock, released at commit)."""
    Lock.objects.get_or_create(name=name)
    Lock.objects.select_for_update().get(name=name)
