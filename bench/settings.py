"""Settings for the benchmark server only: the project's settings plus a bench-only URLconf.

The project must not ship a benchmark-only view, so the bare baseline view lives in bench.urls and is
reachable only when a server is started with ``DJANGO_SETTINGS_MODULE=bench.settings``.
"""

from gonghui.settings import *  # noqa: F403
from gonghui.settings import VAR_DIR

ROOT_URLCONF = "bench.urls"
# collectstatic for the benchmark writes under the benchmark's own var dir, not the project's staticfiles/.
STATIC_ROOT = VAR_DIR / "staticfiles"
