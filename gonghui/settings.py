"""Gonghui settings. Every value comes from the environment through gonghui.core.env."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from gonghui.core.env import env_bool, env_int, env_list, env_str
from gonghui.core.localkeys import load_or_create

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GONGHUI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("GONGHUI_DEBUG", False)
TESTING = env_bool("GONGHUI_TESTING", False)

_KEY_NAMES = ("GONGHUI_SECRET_KEY", "GONGHUI_FIELD_KEYS", "GONGHUI_BLIND_INDEX_KEY", "GONGHUI_AUDIT_KEY")
if DEBUG or TESTING:
    # A local run generates its own keys into var/ (never committed); the environment still wins.
    _local = load_or_create(VAR_DIR / "local-keys.json")
    for _name in _KEY_NAMES:
        os.environ.setdefault(_name, _local[_name])

if not (DEBUG or TESTING) and "GONGHUI_SECRET_KEY" not in os.environ:
    raise ImproperlyConfigured(
        "Environment variable GONGHUI_SECRET_KEY is required in production (see docs/operations.md). "
        "For a local run set GONGHUI_DEBUG=1, as the make targets do: keys are then generated into var/."
    )
SECRET_KEY = env_str("GONGHUI_SECRET_KEY")
FIELD_ENCRYPTION_KEYS = env_str("GONGHUI_FIELD_KEYS")
BLIND_INDEX_KEY = env_str("GONGHUI_BLIND_INDEX_KEY")
AUDIT_HMAC_KEY = env_str("GONGHUI_AUDIT_KEY")

if not DEBUG and not TESTING:
    if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 40 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("GONGHUI_SECRET_KEY must be a long random value in production.")
    for _name in ("GONGHUI_BLIND_INDEX_KEY", "GONGHUI_AUDIT_KEY"):
        if len(os.environ[_name]) < 32:
            raise ImproperlyConfigured(f"{_name} must be at least 32 characters in production.")

ALLOWED_HOSTS = env_list("GONGHUI_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or TESTING) else [])
CSRF_TRUSTED_ORIGINS = env_list("GONGHUI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "gonghui.core.admin_site.GonghuiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "gonghui.core",
    "gonghui.orgs",
    "gonghui.accounts",
    "gonghui.members",
    "gonghui.hall",
    "gonghui.hardship",
    "gonghui.wishes",
    "gonghui.organizing",
    "gonghui.monitoring",
    "gonghui.employment",
    "gonghui.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gonghui.core.middleware.RequestContextMiddleware",
    "gonghui.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "gonghui.urls"
WSGI_APPLICATION = "gonghui.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gonghui" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gonghui.accounts.context_processors.navigation",
            ],
        },
    }
]

# SQLite is the embedded default; PostgreSQL is chosen by GONGHUI_DATABASE_URL.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;",
}
DATABASE_URL = env_str("GONGHUI_DATABASE_URL", f"sqlite:///{VAR_DIR / 'gonghui.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("GONGHUI_DB_CONN_MAX_AGE", 60, minimum=0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = dict(_SQLITE_OPTIONS)
    _db["CONN_MAX_AGE"] = 0 if TESTING else _db["CONN_MAX_AGE"]
    # Tests use a file, never :memory:, so race tests run real threads on both backends.
    _db["TEST"] = {"NAME": str(VAR_DIR / env_str("GONGHUI_TEST_DB_NAME", "test_gonghui.sqlite3"))}
else:
    _db["TEST"] = {"NAME": env_str("GONGHUI_TEST_DB_NAME", "test_gonghui")}
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["gonghui.accounts.backends.GonghuiBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sign-in federated with the city's government one-stop portal (一网通办) through OpenID Connect, when an
# issuer is configured. Workers signing in this way still get no staff rights without a role assignment.
OIDC_ISSUER = env_str("GONGHUI_OIDC_ISSUER", "")
OIDC_ENABLED = bool(OIDC_ISSUER)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_ID = env_str("GONGHUI_OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("GONGHUI_OIDC_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("GONGHUI_OIDC_AUTHORIZATION_ENDPOINT", f"{OIDC_ISSUER}/authorize")
    OIDC_OP_TOKEN_ENDPOINT = env_str("GONGHUI_OIDC_TOKEN_ENDPOINT", f"{OIDC_ISSUER}/token")
    OIDC_OP_USER_ENDPOINT = env_str("GONGHUI_OIDC_USERINFO_ENDPOINT", f"{OIDC_ISSUER}/userinfo")
    OIDC_OP_JWKS_ENDPOINT = env_str("GONGHUI_OIDC_JWKS_ENDPOINT", f"{OIDC_ISSUER}/jwks")
    OIDC_RP_SIGN_ALGO = env_str("GONGHUI_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env_str("GONGHUI_OIDC_SCOPES", "openid profile phone")
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = 10
    OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?oidc=failed"
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "gonghui.accounts.oidc.GonghuiOIDCBackend"]

# Sessions end after inactivity (等保 2.0: session timeout); every request slides the window.
SESSION_COOKIE_AGE = env_int("GONGHUI_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# The idle window slides, but the session row is rewritten at most once a minute (RequestContextMiddleware),
# not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "gonghui" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "gonghui" / "static"]
_ECHARTS = BASE_DIR / "node_modules" / "echarts" / "dist"
if _ECHARTS.exists():
    STATICFILES_DIRS.append(("vendor/echarts", _ECHARTS))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Private files never sit under a public URL: they are served only through core.files views.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("GONGHUI_TASKS_IMMEDIATE", TESTING)
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

SMS_BACKEND = env_str("GONGHUI_SMS_BACKEND", "gonghui.core.notifications.ConsoleSmsBackend")
SMS_FILE_PATH = Path(env_str("GONGHUI_SMS_FILE", str(VAR_DIR / "sms.log")))
SMS_CODE_TTL_SECONDS = env_int("GONGHUI_SMS_CODE_TTL", 300, minimum=60)
SMS_PER_NUMBER_PER_HOUR = env_int("GONGHUI_SMS_PER_NUMBER_PER_HOUR", 5, minimum=1)
SMS_MIN_INTERVAL_SECONDS = env_int("GONGHUI_SMS_MIN_INTERVAL_SECONDS", 60, minimum=1)
SMS_PER_ADDRESS_PER_HOUR = env_int("GONGHUI_SMS_PER_ADDRESS_PER_HOUR", 20, minimum=1)
# E-member cards: how long one QR code stays valid (the card page refreshes it), and how many checks one
# address may make per minute on the public verification page.
GONGHUI_CARD_TOKEN_MINUTES = env_int("GONGHUI_CARD_TOKEN_MINUTES", 10, minimum=1)
GONGHUI_CARD_VERIFY_PER_MINUTE = env_int("GONGHUI_CARD_VERIFY_PER_MINUTE", 20, minimum=1)
# Monitoring may fetch feeds from loopback/private addresses only when told to (or in DEBUG and tests): a feed URL
# set by staff must not reach internal services.
MONITORING_FEED_ALLOW_PRIVATE = env_bool("GONGHUI_MONITORING_FEED_ALLOW_PRIVATE", DEBUG or TESTING)
# Online join attempts per account per hour (each attempt checks an ID number).
GONGHUI_JOIN_ATTEMPTS_PER_HOUR = env_int("GONGHUI_JOIN_ATTEMPTS_PER_HOUR", 20, minimum=1)
RATING_PUSH_BACKEND = env_str("GONGHUI_RATING_PUSH_BACKEND", "gonghui.hall.portal_push.FileRatingPush")
RATING_PUSH_FILE = Path(env_str("GONGHUI_RATING_PUSH_FILE", str(VAR_DIR / "rating-push.jsonl")))
LOGIN_FAILURES_BEFORE_LOCK = env_int("GONGHUI_LOGIN_FAILURES_BEFORE_LOCK", 5, minimum=1)
AUDIT_SEAL_GRACE_SECONDS = env_int("GONGHUI_AUDIT_SEAL_GRACE_SECONDS", 0 if TESTING else 2, minimum=0)
SCHEDULER_TICK_SECONDS = env_int("GONGHUI_SCHEDULER_TICK_SECONDS", 30, minimum=1)
TASK_RESULT_RETENTION_DAYS = env_int("GONGHUI_TASK_RESULT_RETENTION_DAYS", 14, minimum=1)
TRUSTED_PROXY_COUNT = env_int("GONGHUI_TRUSTED_PROXY_COUNT", 0, minimum=0)

# Content Security Policy: nothing from outside hosts, no inline script without a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("GONGHUI_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("GONGHUI_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("GONGHUI_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("GONGHUI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_MAX_LIMIT = 200
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
