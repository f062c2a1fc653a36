"""Django settings, read from environment variables with safe defaults (twelve-factor)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("HAUMAI_DATA_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Use SECRET_KEY from the environment, else one generated once into the data folder."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "unfold",  # admin theme; must come before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "haumai.core",
    "haumai.accounts",
    "haumai.events",
    "haumai.customers",
    "haumai.catalog",
    "haumai.sales",
    "haumai.inventory",
    "haumai.integrations",
    "haumai.messaging",
    "haumai.journeys",
    "haumai.shipping",
    "haumai.payments",
    "haumai.returns",
    "haumai.privacy",
    "haumai.demo",
    "haumai.console",
    "haumai.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "haumai.urls"
ASGI_APPLICATION = "haumai.asgi.application"
WSGI_APPLICATION = "haumai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "haumai.console.navigation.navigation",
            ],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'haumai.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web and the worker read while one writes; IMMEDIATE avoids upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    # Under ASGI, sync views run in a thread pool; persistent per-thread connections would pile up.
    # A psycopg pool per process bounds them (HAUMAI_DB_POOL_SIZE) and keeps connects off the hot path.
    pool_size = int(os.environ.get("HAUMAI_DB_POOL_SIZE", "8"))
    if pool_size > 0:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": pool_size, "timeout": 20}
    DATABASES["default"].setdefault("TEST", {})
    DATABASES["default"]["TEST"]["NAME"] = os.environ.get("HAUMAI_TEST_DATABASE", "test_haumai")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("HAUMAI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LANGUAGE_CODE = os.environ.get("HAUMAI_LANGUAGE", "vi")
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("HAUMAI_STATIC_ROOT", DATA_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("HAUMAI_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"

# Uploads: imports above this size are refused before parsing.
HAUMAI_MAX_IMPORT_BYTES = int(os.environ.get("HAUMAI_MAX_IMPORT_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = HAUMAI_MAX_IMPORT_BYTES
HAUMAI_API_TOKEN_DAYS = int(os.environ.get("HAUMAI_API_TOKEN_DAYS", "365"))
HAUMAI_SCHEDULER_BATCH = int(os.environ.get("HAUMAI_SCHEDULER_BATCH", "500"))

UNFOLD = {
    "SITE_TITLE": "Haumai",
    "SITE_HEADER": "Haumai · Quản trị",
    "SITE_SYMBOL": "support_agent",
    "SHOW_LANGUAGES": True,
}

LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:home"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("HAUMAI_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The worker polls in batch mode; its start/stop lines every second are noise.
        "django_tasks_db": {"level": "WARNING"},
    },
}

# Customer portal (haumai.portal): passwordless login and outgoing codes.
# E-mail goes through Django's mail API. Without EMAIL_BACKEND in the environment, mails are written as
# files into var/outbox/ (so `make run` works offline); set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
# and EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD/EMAIL_USE_TLS for real delivery.
HAUMAI_OUTBOX_DIR = Path(os.environ.get("HAUMAI_OUTBOX_DIR", DATA_DIR / "outbox"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(HAUMAI_OUTBOX_DIR)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Haumai <no-reply@localhost>")
# Portal login codes by SMS: the default writes them to var/outbox/sms.log (offline demo). In production set
# HAUMAI_SMS_BACKEND=haumai.portal.senders.MessagingSmsBackend (eSMS.vn, HAUMAI_ESMS_* variables; see
# src/haumai/messaging/README.md, which also lists Zalo OA/ZNS, webhook and HAUMAI_PUBLIC_URL settings).
HAUMAI_SMS_BACKEND = os.environ.get("HAUMAI_SMS_BACKEND", "haumai.portal.senders.OutboxSmsBackend")
HAUMAI_PORTAL_CODE_MINUTES = int(os.environ.get("HAUMAI_PORTAL_CODE_MINUTES", "10"))
HAUMAI_PORTAL_CODE_MAX_TRIES = int(os.environ.get("HAUMAI_PORTAL_CODE_MAX_TRIES", "5"))
HAUMAI_PORTAL_CODES_PER_HOUR = int(os.environ.get("HAUMAI_PORTAL_CODES_PER_HOUR", "5"))
HAUMAI_PORTAL_CODES_PER_IP_PER_HOUR = int(os.environ.get("HAUMAI_PORTAL_CODES_PER_IP_PER_HOUR", "20"))
HAUMAI_PORTAL_LINK_MINUTES = int(os.environ.get("HAUMAI_PORTAL_LINK_MINUTES", "15"))
HAUMAI_PORTAL_LOOKUPS_PER_WINDOW = int(os.environ.get("HAUMAI_PORTAL_LOOKUPS_PER_WINDOW", "10"))
HAUMAI_PORTAL_LOOKUP_WINDOW_MINUTES = int(os.environ.get("HAUMAI_PORTAL_LOOKUP_WINDOW_MINUTES", "10"))
