"""Union organising: join applications (a service of the hall), establishment cases, targets."""

from gonghui.organizing.models.establishment import EstablishmentCase  # noqa: F401
from gonghui.organizing.models.joining import JoinApplication  # noqa: F401
from gonghui.organizing.models.targets import Target  # noqa: F401
