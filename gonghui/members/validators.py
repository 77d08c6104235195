"""居民身份证号 checks (GB 11643-1999) through python-stdnum: length, check character, birth date and
a region code valid at the birth date."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric


def normalise_id_number(value: str) -> str:
    value = (value or "").strip().upper()
    try:
        return ric.validate(value)
    except stdnum_errors.InvalidLength:
        raise ValidationError(_("An ID card number has 18 characters."), code="length")
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(_("The ID card number's last character (the check character) is wrong."), code="checksum")
    except stdnum_errors.InvalidComponent:
        raise ValidationError(_("The ID card number holds an impossible birth date or region."), code="component")
    except stdnum_errors.InvalidFormat:
        raise ValidationError(_("An ID card number has 17 digits and a last digit or X."), code="format")
    except stdnum_errors.ValidationError:
        raise ValidationError(_("This is not a valid ID card number."), code="invalid")


def birth_date_of(id_number: str) -> date:
    return ric.get_birth_date(id_number)


def gender_of(id_number: str) -> str:
    return "M" if int(id_number[16]) % 2 else "F"
