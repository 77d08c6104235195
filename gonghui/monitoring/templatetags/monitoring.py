from django import template

register = template.Library()


@register.filter
def get_label(labels: dict, key):
    return labels.get(key, key)


@register.filter
def can(user, perm: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_gonghui_perm(perm))
