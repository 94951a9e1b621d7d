"""Settings for bangban: one module, configured from the environment.

Environment variables (all optional for a local run):
  DATABASE_URL        e.g. postgres://user@127.0.0.1:5432/bangban; default SQLite in BANGBAN_DATA_DIR
  SECRET_KEY          default: generated once and kept in BANGBAN_DATA_DIR/secret_key
  BANGBAN_DEBUG       1/true to enable Django's debug mode (default off)
  BANGBAN_DATA_DIR    where the SQLite database, secret key and uploads live (default ./var)
  BANGBAN_ALLOWED_HOSTS comma-separated host names (default: localhost names)
  BANGBAN_SECURE_COOKIES 1 to mark cookies Secure and send HSTS (set it behind HTTPS)
  BANGBAN_FILE_MASTER_KEY master key of the encrypted attachments (32 hex digits); default:
                      generated once into BANGBAN_DATA_DIR/file_master_key (docs/files.md)
  BANGBAN_FILE_OLD_MASTER_KEYS earlier master keys (comma-separated), kept until
                      `manage.py rotate_file_keys` has re-wrapped every file's key
  BANGBAN_PASSWORD_MIN_LENGTH, _MIN_CLASSES, _MAX_AGE_DAYS  the password profile (8, 3, 90)
  BANGBAN_LOCKOUT_FAILURES, _ADDRESS_FAILURES, _MINUTES  login lockout (5, 5, 15)
  BANGBAN_CLIENT_ADDRESS_HEADER the META key of the client address (default REMOTE_ADDR)
  BANGBAN_SECOND_FACTOR_ROLES roles that must use TOTP (centre_admin,supervisor,leader)
  BANGBAN_API_TOKEN_DAYS how long an API token lives (90)
  BANGBAN_THROTTLE_ANON, BANGBAN_THROTTLE_USER  API rates (60/min per address, 1000/min)
  CELERY_BROKER_URL   e.g. redis://127.0.0.1:6379/0; without it tasks run inline (eager)
  BANGBAN_EMAIL_HOST  SMTP host (or EMAIL_HOST); without it e-mails are written to files in
                      BANGBAN_DATA_DIR/mail (Django's file backend)
  BANGBAN_EMAIL_PORT, _HOST_USER, _HOST_PASSWORD, _USE_TLS, _USE_SSL, _TIMEOUT
                      the SMTP connection (or Django's EMAIL_* names); port 25, timeout 30 s
  BANGBAN_EMAIL_BACKEND another Django mail backend (dotted path), e.g. the console backend
  BANGBAN_DEFAULT_FROM_EMAIL the From of every e-mail (default "帮办 <noreply@localhost>")
  BANGBAN_SMS_PROVIDER dotted path of the SMS provider class (send(mobile, text)); default
                      bangban.notifications.senders.LoggingSmsProvider (logs to "bangban.sms")
"""

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("BANGBAN_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = os.environ.get("SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _file_master_key() -> str:
    """The master key of stored files (32 hex digits): BANGBAN_FILE_MASTER_KEY, or one generated
    once into DATA_DIR/file_master_key (mode 600). docs/files.md: rotation and backups."""
    configured = os.environ.get("BANGBAN_FILE_MASTER_KEY", "").strip()
    if configured:
        return configured
    key_file = DATA_DIR / "file_master_key"
    try:
        handle = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(handle, "w") as out:
            out.write(secrets.token_hex(16))
    return key_file.read_text().strip()


# checked at start-up by the documents app's system check (bangban.documents.checks)
BANGBAN_FILE_MASTER_KEY = _file_master_key()
BANGBAN_FILE_OLD_MASTER_KEYS = [
    k.strip() for k in os.environ.get("BANGBAN_FILE_OLD_MASTER_KEYS", "").split(",") if k.strip()
]
DEBUG = env_bool("BANGBAN_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("BANGBAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    # bangban domains, one app each, bottom to top (the layers are declared in pyproject.toml)
    "bangban.common",
    "bangban.audit",
    "bangban.organization",
    "bangban.accounts",
    "bangban.workdays",
    "bangban.catalog",
    "bangban.eligibility",
    "bangban.notifications",
    "bangban.documents",
    "bangban.projects",
    "bangban.cases",
    "bangban.planning",
    "bangban.coordination",
    "bangban.evaluation",
    "bangban.supervision",
    "bangban.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # an oversize upload answers 413 before its body is read (before CSRF reads the form)
    "bangban.documents.middleware.UploadSizeLimitMiddleware",
    "bangban.common.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "bangban.common.middleware.LostRaceMiddleware",
    "bangban.common.middleware.PrivateResponseMiddleware",
    # the request is the audit context of every record written while answering it
    "bangban.audit.middleware.AuditContextMiddleware",
    # Admin, supervisor and leader pages only after the TOTP second factor (docs/login.md).
    "bangban.accounts.middleware.SecondFactorMiddleware",
]

ROOT_URLCONF = "bangban.urls"
WSGI_APPLICATION = "bangban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bangban" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bangban.web.navigation.navigation",
                "bangban.accounts.context_processors.password_reminder",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("BANGBAN_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing (docs/concurrency.md): every transaction takes the
    # write lock at BEGIN (IMMEDIATE), so a waiting writer is handled by the 20 s busy
    # timeout, never by an instant "database is locked"; WAL lets readers go on while one
    # writes. (The in-memory test database ignores WAL: its journal stays "memory".)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "catalog:item_list"
# Login security (docs/login.md). The password profile defaults to 等保 2.0 level 3: at least
# 8 characters of at least 3 classes, not containing the user name, a reminder to change it
# after 90 days (0: no reminder).
BANGBAN_PASSWORD_POLICY = {
    "min_length": int(os.environ.get("BANGBAN_PASSWORD_MIN_LENGTH", "8")),
    "min_classes": int(os.environ.get("BANGBAN_PASSWORD_MIN_CLASSES", "3")),
    "max_age_days": int(os.environ.get("BANGBAN_PASSWORD_MAX_AGE_DAYS", "90")),
}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "bangban.accounts.validators.UsernameNotContainedValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": BANGBAN_PASSWORD_POLICY["min_length"]},
    },
    {
        "NAME": "bangban.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": BANGBAN_PASSWORD_POLICY["min_classes"]},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Lockout: `lockout_failures` wrong passwords in a row for one account, or from one client
# address, lock it for `lockout_minutes` (failures older than that are forgotten). The
# address is REMOTE_ADDR unless `client_address_header` names the META key a trusted proxy
# sets (e.g. HTTP_X_REAL_IP). TOTP (RFC 6238) is required of these roles and of
# superusers. API tokens expire `api_token_days` after they are made.
BANGBAN_LOGIN = {
    "lockout_failures": int(os.environ.get("BANGBAN_LOCKOUT_FAILURES", "5")),
    "lockout_address_failures": int(os.environ.get("BANGBAN_LOCKOUT_ADDRESS_FAILURES", "5")),
    "lockout_minutes": int(os.environ.get("BANGBAN_LOCKOUT_MINUTES", "15")),
    "client_address_header": os.environ.get("BANGBAN_CLIENT_ADDRESS_HEADER", "REMOTE_ADDR"),
    "second_factor_roles": [
        r.strip()
        for r in os.environ.get(
            "BANGBAN_SECOND_FACTOR_ROLES", "centre_admin,supervisor,leader"
        ).split(",")
        if r.strip()
    ],
    "totp_issuer": os.environ.get("BANGBAN_TOTP_ISSUER", "帮办"),
    "api_token_days": int(os.environ.get("BANGBAN_API_TOKEN_DAYS", "90")),
}
# The password backend counts failures and refuses a locked account or address.
AUTHENTICATION_BACKENDS = ["bangban.accounts.backends.LockoutModelBackend"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(
    exist_ok=True
)  # WhiteNoise serves from the finders in development; collectstatic fills it in production
STATICFILES_DIRS = [
    BASE_DIR / "bangban" / "static",
    # plotly.js shipped in the plotly package, served locally (closed networks, no CDN).
    (
        "vendor/plotly",
        Path(importlib.util.find_spec("plotly").submodule_search_locations[0]) / "package_data",
    ),
]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Sessions: idle timeout (等保 2.0) — the session expires after this many idle seconds.
SESSION_COOKIE_AGE = int(os.environ.get("BANGBAN_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("BANGBAN_SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("BANGBAN_SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind HTTPS (BANGBAN_SECURE_COOKIES=1), browsers are told to use nothing else for a year.
SECURE_HSTS_SECONDS = 31_536_000 if env_bool("BANGBAN_SECURE_COOKIES") else 0
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (docs/security.md), sent on every answer by
# bangban.common.middleware.ContentSecurityPolicyMiddleware; the shape of Django 6.0's own
# SECURE_CSP. Scripts only from our own static files: no inline script, no eval. Styles also
# inline: plotly.js writes its chart styles into <style> elements and style attributes at run
# time (a script cannot be injected through CSS, and every template escapes what it prints).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

REST_FRAMEWORK = {
    # Token first: an anonymous call answers 401 with "WWW-Authenticate: Token" (a client
    # learns how to authenticate); the browser's session works as before.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "bangban.accounts.api_auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Throttling on (docs/login.md): per client address for anonymous calls, per user else.
    "DEFAULT_THROTTLE_CLASSES": [
        "bangban.accounts.api_auth.AnonThrottle",
        "bangban.accounts.api_auth.UserThrottle",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "bangban.common.api.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("BANGBAN_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("BANGBAN_THROTTLE_USER", "1000/min"),
        "preview": "30/min",
    },
    "EXCEPTION_HANDLER": "bangban.common.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "bangban 帮办 API",
    "DESCRIPTION": "投资项目代办帮办平台接口。Public catalog, projects, commissions, plans and cases.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from the drf-spectacular-sidecar package: no CDN on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # the error statuses every call may meet, documented once (bangban/common/openapi.py)
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "bangban.common.openapi.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "bangban.cases.models.Case.State",
        "EscalationStateEnum": "bangban.cases.models.Escalation.State",
        "MeetingStateEnum": "bangban.coordination.models.Meeting.State",
        "MeetingKindEnum": "bangban.coordination.models.Meeting.Kind",
        "TaskOrderStateEnum": "bangban.coordination.models.TaskOrder.State",
    },
}

# Background jobs: inline (eager) unless a broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "memory://")):
    raise ImproperlyConfigured("CELERY_BROKER_URL must be a redis:// URL (or memory:// for tests).")

# Outgoing messages (SPEC §6 outbox, bangban.notifications). Each e-mail setting is read from
# BANGBAN_<NAME> or, failing that, Django's own <NAME> (e.g. BANGBAN_EMAIL_HOST or EMAIL_HOST).
# With a host: SMTP; without one: every e-mail is written as a file into DATA_DIR/mail, so a
# run needs no mail server. SMS go through the provider class BANGBAN_SMS_PROVIDER names.


def _mail_env(name: str, default: str = "") -> str:
    return os.environ.get(f"BANGBAN_{name}") or os.environ.get(name) or default


EMAIL_HOST = _mail_env("EMAIL_HOST", "localhost")
EMAIL_BACKEND = _mail_env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if _mail_env("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_PORT = int(_mail_env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = _mail_env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = _mail_env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("BANGBAN_EMAIL_USE_TLS", env_bool("EMAIL_USE_TLS"))
EMAIL_USE_SSL = env_bool("BANGBAN_EMAIL_USE_SSL", env_bool("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = int(_mail_env("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = _mail_env("DEFAULT_FROM_EMAIL", "帮办 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
BANGBAN_SMS_PROVIDER = os.environ.get(
    "BANGBAN_SMS_PROVIDER", "bangban.notifications.senders.LoggingSmsProvider"
)
# A worker's beat (`celery -A bangban.celery beat`) delivers due and retried messages every
# minute; without a broker, run `manage.py deliver_notifications` from cron instead.
CELERY_BEAT_SCHEDULE = {
    "deliver-pending-notifications": {
        "task": "bangban.deliver_pending_notifications",
        "schedule": 60.0,
    },
    # The ledger's deadline scan, hourly (idempotent: a warning is raised once per due date).
    "scan-deadlines": {"task": "bangban.scan_deadlines", "schedule": 3600.0},
    # The monthly report (Baotou: due by the 15th): on the 1st at 01:30, last month's report of
    # each region with supervisors is prepared for review (docs/supervision.md).
    "prepare-monthly-reports": {
        "task": "bangban.prepare_monthly_reports",
        "schedule": crontab(minute=30, hour=1, day_of_month=1),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BANGBAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The ledger's warnings (SPEC §6): yellow when the remaining working days are at most
# max(MIN_DAYS, SHARE × limit); red once overdue; escalated to a leader after ESCALATE_AFTER
# overdue working days; 容缺 reminders this many working days before the supplement date.
BANGBAN_LEDGER = {
    "warning_share": float(os.environ.get("BANGBAN_WARNING_SHARE", "0.2")),
    "warning_min_days": int(os.environ.get("BANGBAN_WARNING_MIN_DAYS", "1")),
    "escalate_after_days": int(os.environ.get("BANGBAN_ESCALATE_AFTER_DAYS", "3")),
    "supplement_reminder_days": int(os.environ.get("BANGBAN_SUPPLEMENT_REMINDER_DAYS", "2")),
}

# Where the versioned reference data (catalog, regions, routing, industry policy) lives.
REFERENCE_DATA_DIR = BASE_DIR / "data"
