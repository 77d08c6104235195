"""Validators for the national codes an organisation record carries."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc


def normalise_uscc(value: str) -> str:
    """统一社会信用代码 (GB 32100-2015), upper-cased and checked: 18 characters and the mod-31 check."""
    try:
        return uscc.validate(value)
    except stdnum_errors.InvalidLength:
        raise ValidationError(_("The unified social credit code must have 18 characters."), code="length")
    except stdnum_errors.InvalidFormat:
        raise ValidationError(
            _(
                "The unified social credit code starts with 8 digits; the rest are digits or the letters "
                "A–H, J–N, P–R, T, U, W, X, Y."
            ),
            code="format",
        )
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(_("The unified social credit code's check character is wrong."), code="checksum")
    except stdnum_errors.ValidationError:
        raise ValidationError(_("This is not a valid unified social credit code."), code="invalid")


def validate_uscc(value: str) -> None:
    normalise_uscc(value)
