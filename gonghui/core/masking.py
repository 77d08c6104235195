"""Masking of contact and sensitive values for lists, exports and audit snapshots."""


def mask_middle(value: str | None, keep_start: int, keep_end: int) -> str:
    if not value:
        return ""
    value = str(value)
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end :]


def mask_id_number(value: str | None) -> str:
    """110***********123X: region prefix and the last four stay readable."""
    return mask_middle(value, 3, 4)


def mask_mobile(value: str | None) -> str:
    """138****5678."""
    return mask_middle(value, 3, 4)


def mask_name(value: str | None) -> str:
    """张*三 / 李*: the family name and (for long names) the last character stay."""
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_generic(value) -> str:
    if value in (None, ""):
        return ""
    text = str(value)
    return mask_middle(text, 1, 1) if len(text) > 2 else "*" * len(text)
