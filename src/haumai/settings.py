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
    "haumai.warranty",
    "haumai.repairs",
    "haumai.support",
    "haumai.privacy",
    "haumai.surveys",
    "haumai.loyalty",
    "haumai.knowledge",
    "haumai.bot",
    "haumai.assist",
    "haumai.analytics",
    "haumai.segments",
    "haumai.recommendations",
    "haumai.demo",
    "haumai.console",
    "haumai.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "haumai.core.security.ContentSecurityPolicyMiddleware",
    "haumai.core.edge.RejectUnstorableTextMiddleware",
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

# Every password login (console, admin) goes through the login policy: lockout per account and per address.
AUTHENTICATION_BACKENDS = ["haumai.accounts.backends.PolicyModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Redis errors fall back to a per-process memory cache with a log line (haumai.core.cache).
    CACHES = {"default": {"BACKEND": "haumai.core.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
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

# The admin in the console's look (teal accent) with a Vietnamese sidebar; see haumai/admin_theme.py.
UNFOLD = {
    "SITE_TITLE": "Haumai",
    "SITE_HEADER": "Haumai",
    "SITE_SUBHEADER": _("Administration"),
    "SITE_SYMBOL": "support_agent",
    "SITE_URL": "/console/",
    "SHOW_LANGUAGES": True,
    "SHOW_VIEW_ON_SITE": False,
    # The console's accent #0b7a75 is oklch(52.4% .088 189.7) = primary-600; its hover #096661 = primary-700.
    "COLORS": {
        "primary": {
            "50": "oklch(98.2% .014 189.7)", "100": "oklch(95.6% .033 189.7)", "200": "oklch(91% .06 189.7)",
            "300": "oklch(84.5% .09 189.7)", "400": "oklch(74.5% .11 189.7)", "500": "oklch(63.5% .105 189.7)",
            "600": "oklch(52.4% .088 189.7)", "700": "oklch(46.1% .078 188.8)", "800": "oklch(39.5% .066 188.8)",
            "900": "oklch(33.5% .055 188.8)", "950": "oklch(24.5% .04 188.8)",
        },
    },
    "SIDEBAR": {"show_search": True, "show_all_applications": False, "navigation": "haumai.admin_theme.sidebar"},
}

LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:home"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("HAUMAI_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


def _proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto` (value https) or `X-Forwarded-Proto: https` -> Django's SECURE_PROXY_SSL_HEADER."""
    name, _, expected = value.partition(":")
    if not name.strip():
        return None
    return "HTTP_" + name.strip().upper().replace("-", "_"), expected.strip() or "https"


# Behind a TLS-terminating proxy: trust ONLY a header that the proxy always sets (and strips from clients).
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(os.environ.get("HAUMAI_PROXY_SSL_HEADER", ""))
SECURE_SSL_REDIRECT = _env_bool("HAUMAI_SSL_REDIRECT")
# How many reverse proxies append to X-Forwarded-For in front of Haumai (haumai.core.network.client_ip):
# lockouts and lookup limits count per client address, not per proxy.
HAUMAI_TRUSTED_PROXIES = int(os.environ.get("HAUMAI_TRUSTED_PROXIES", "0"))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
# HSTS is sent on HTTPS responses only; start small (e.g. 300) and raise to 31536000 once HTTPS is sure.
SECURE_HSTS_SECONDS = int(os.environ.get("HAUMAI_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("HAUMAI_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_bool("HAUMAI_HSTS_PRELOAD")

# Content-Security-Policy (haumai.core.security): strict for the console and the portal.
HAUMAI_CSP_REPORT_ONLY = _env_bool("HAUMAI_CSP_REPORT_ONLY")
# Inline code that exists today, allowed by its exact text (move it to static files or use the nonce):
HAUMAI_CSP_INLINE_SCRIPTS = ['document.getElementById("scan").select();']  # returns/receiving.html
HAUMAI_CSP_INLINE_HANDLERS = ["this.form.submit()"]  # console/base.html language switcher
HAUMAI_VIDEO_FRAMES = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
HAUMAI_CSP_PATH_SOURCES = {
    # Help-center articles embed YouTube (privacy-enhanced host) and Vimeo players, and show linked images.
    "/portal/help/": {"frame-src": HAUMAI_VIDEO_FRAMES, "img-src": ["https:"]},
    "/console/knowledge/": {"frame-src": HAUMAI_VIDEO_FRAMES, "img-src": ["https:"]},
    # The admin theme (unfold) runs Alpine.js, which evaluates its attributes with Function().
    "/admin/": {"script-src": ["'unsafe-eval'"]},
    # Ninja's Swagger page loads its UI from jsDelivr and starts it with an inline script.
    "/api/v1/docs": {
        "script-src": ["https://cdn.jsdelivr.net", "'unsafe-inline'"],
        "style-src": ["https://cdn.jsdelivr.net"],
        "img-src": ["https://django-ninja.dev"],
    },
}

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
