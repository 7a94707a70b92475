"""Sinergi settings: one module, driven by environment variables.

Every setting that differs between a laptop and production comes from the
environment (or from ``NAME_FILE``, a file holding the value, for secrets).
SQLite is the default so a new user needs no server; ``DATABASE_URL`` switches
to PostgreSQL.
"""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SINERGI_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    """Read ``name`` from the environment, or from the file named by ``name_FILE``."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "sinergi.core",
    "sinergi.territory",
    "sinergi.accounts",
    "sinergi.audit",
    "sinergi.notifications",
    "sinergi.registry",
    "sinergi.privacy",
    "sinergi.events",
    "sinergi.cases",
    "sinergi.announcements",
    "sinergi.earlywarning",
    "sinergi.evaluation",
    "sinergi.opendata",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sinergi.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sinergi.accounts.middleware.SecondFactorMiddleware",
    "sinergi.core.middleware.ActorContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sinergi.core.context_processors.sinergi",
            ],
        },
    },
]

# Database: SQLite file under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sinergi.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the worker write while pages read; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (shared by every app server): Redis when REDIS_URL is set, else the database.
if redis_url := env("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "sinergi.core.cache.RedisCache", "LOCATION": redis_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sinergi_cache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Periodic work, enqueued by the worker's scheduler thread: name -> (task path, seconds).
SINERGI_PERIODIC_TASKS: dict[str, tuple[str, int]] = {
    # Expiry reminders (SKT, documents, officers' terms); idempotent, so a second run in a day is harmless.
    "registry-expiry-reminders": ("sinergi.registry.tasks.send_expiry_reminders", 24 * 3600),
    # Deliver e-mails and gateway messages whose delivery task was lost.
    "notifications-requeue-stale": ("sinergi.notifications.tasks.requeue_stale_messages", 10 * 60),
    # Delete or anonymise what has outlived SINERGI_RETENTION_DAYS (import and export files included).
    "privacy-retention": ("sinergi.privacy.tasks.apply_retention", 24 * 3600),
    # Aspirations and complaints: mark overdue cases and escalate each once to the unit above.
    "cases-check-sla": ("sinergi.cases.tasks.check_sla", 10 * 60),
    # Announcements: publish what is scheduled, re-enqueue fan-out batches a killed worker left, and
    # remind organisations that have not acknowledged.
    "announcements-publish-due": ("sinergi.announcements.tasks.publish_due", 60),
    "announcements-resume-fanout": ("sinergi.announcements.tasks.resume_fanout", 5 * 60),
    "announcements-reminders": ("sinergi.announcements.tasks.send_reminders", 3600),
    # Open data: recompute the published datasets.
    "opendata-refresh": ("sinergi.opendata.tasks.refresh_open_data", 3600),
    # Early warning: the administrators' escalation rules (each incident alerts once), and the daily
    # reminder to FKDM members behind the reporting rhythm.
    "earlywarning-evaluate-rules": ("sinergi.earlywarning.tasks.evaluate_rules", 15 * 60),
    "earlywarning-compliance-reminders": ("sinergi.earlywarning.tasks.send_compliance_reminders", 24 * 3600),
}
WORKER_HEARTBEAT_SECONDS = 30

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env("PASSWORD_HASHER") == "md5":  # tests only: hashing is deliberately slow otherwise
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Sign-in throttling (sinergi.accounts.lockout): this many failures of one account, or from one
# address (an office behind one public address shares it), with no gap longer than the window,
# lock it for LOGIN_LOCKOUT_SECONDS.
LOGIN_FAILURES_PER_ACCOUNT = int(env("LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(env("LOGIN_FAILURES_PER_ADDRESS", "30"))
LOGIN_FAILURE_WINDOW = int(env("LOGIN_FAILURE_WINDOW", str(15 * 60)))
LOGIN_LOCKOUT_SECONDS = int(env("LOGIN_LOCKOUT_SECONDS", str(15 * 60)))
# Authenticator-app secrets (TOTP), encrypted like NIKs with the first of these comma-separated
# Fernet keys (the others still decrypt, so keys can rotate). Derived from SECRET_KEY only in DEBUG;
# in production ``check --deploy`` fails without them.
# Administrators must use an authenticator app (issue 9). Only the local demo (scripts/run) turns this
# off, so a newcomer can look around without one; check --deploy warns when it is off.
ADMIN_SECOND_FACTOR_REQUIRED = env_bool("ADMIN_SECOND_FACTOR_REQUIRED", True)
TOTP_ENCRYPTION_KEYS = [key.strip() for key in env("TOTP_ENCRYPTION_KEYS").split(",") if key.strip()]
if DEBUG and not TOTP_ENCRYPTION_KEYS:
    TOTP_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(f"totp-key:{SECRET_KEY}".encode()).digest()).decode()
    ]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Mail: the console by default (password-reset links show in the terminal); SMTP when EMAIL_HOST is set.
if env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": int(env("EMAIL_PORT", "587")),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Sinergi <sinergi@localhost>")
# SMS/WhatsApp: a class with the shape of sinergi.notifications.gateways.Gateway. The default only
# writes messages to the log and records them as "logged", never "sent".
SINERGI_MESSAGE_GATEWAY = env("SINERGI_MESSAGE_GATEWAY", "sinergi.notifications.gateways.LogGateway")

# Security. Pages use no inline script or style, so the policy can be strict.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([env("MAP_TILE_ORIGIN")] if env("MAP_TILE_ORIGIN") else [])],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^health$"]

# Map: tiles are optional; boundaries draw without them.
MAP_TILE_URL = env("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")

# The register. A NIK is personal data (UU 27/2022): encrypted with the first of the comma-separated
# Fernet keys in NIK_ENCRYPTION_KEYS (the others still decrypt, so keys can rotate) and found by an
# HMAC with NIK_HASH_KEY, which cannot change without rehashing. Derived from SECRET_KEY only in
# DEBUG; in production ``check --deploy`` fails without them.
NIK_ENCRYPTION_KEYS = [key.strip() for key in env("NIK_ENCRYPTION_KEYS").split(",") if key.strip()]
NIK_HASH_KEY = env("NIK_HASH_KEY")
if DEBUG and not NIK_ENCRYPTION_KEYS:
    NIK_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(hashlib.sha256(f"nik-key:{SECRET_KEY}".encode()).digest()).decode()]
if DEBUG and not NIK_HASH_KEY:
    NIK_HASH_KEY = hashlib.sha256(f"nik-hash:{SECRET_KEY}".encode()).hexdigest()
# Personal data is kept only as long as needed (UU 27/2022 art. 43-44): days after which the daily
# ``privacy-retention`` task deletes or anonymises each kind of record (sinergi.privacy.retention).
# None keeps a kind for good: the audit log is the record of processing the law requires the
# controller to keep and to show data subjects (art. 31), and it is append-only by design.
SINERGI_RETENTION_DAYS: dict[str, int | None] = {
    # Uploaded import files and built exports (the register's lists, with NIKs).
    "registry.io_files": 7,
    # In-app notifications and the log of e-mails and SMS/WhatsApp messages (recipients' addresses).
    "notifications.notification": 365,
    "notifications.outboundmessage": 365,
    # Persons whose last post ended this long ago (or, with no post, untouched this long): anonymised.
    "registry.person_without_posts": 5 * 365,
    # The files handed to a data subject who asked for their data.
    "privacy.request_files": 30,
    "audit.auditevent": None,
}
# A data subject's request is answered within 3 x 24 hours of its receipt (UU 27/2022 art. 30(2), 32(2)).
SINERGI_DSR_RESPONSE_HOURS = int(env("SINERGI_DSR_RESPONSE_HOURS", "72"))

# Events: the text channel for invitations ("whatsapp", "sms" or "" for none); attendance lists and
# commitments of more participants than this are made as files by a task instead of on request;
# upload limits for photos and drawn signatures.
SINERGI_EVENTS_GATEWAY_CHANNEL = env("SINERGI_EVENTS_GATEWAY_CHANNEL", "whatsapp")
SINERGI_EVENTS_DIRECT_PDF_MAX = int(env("SINERGI_EVENTS_DIRECT_PDF_MAX", "300"))
SINERGI_EVENTS_PHOTO_MAX_BYTES = int(env("SINERGI_EVENTS_PHOTO_MAX_BYTES", str(8 * 1024 * 1024)))
SINERGI_EVENTS_SIGNATURE_MAX_BYTES = int(env("SINERGI_EVENTS_SIGNATURE_MAX_BYTES", "150000"))

# Aspirations and complaints: days after closing in which the reporter may dispute; working days
# before the due date that count as "due soon"; the public form's rate limit per address (submissions
# per window of seconds) and its time trap; upload limits.
SINERGI_CASE_DISPUTE_DAYS = int(env("SINERGI_CASE_DISPUTE_DAYS", "7"))
SINERGI_CASE_DUE_SOON_DAYS = int(env("SINERGI_CASE_DUE_SOON_DAYS", "2"))
SINERGI_CASE_RATE_LIMIT = int(env("SINERGI_CASE_RATE_LIMIT", "20"))
SINERGI_CASE_RATE_WINDOW = int(env("SINERGI_CASE_RATE_WINDOW", "3600"))
SINERGI_CASE_FORM_MIN_SECONDS = int(env("SINERGI_CASE_FORM_MIN_SECONDS", "3"))
SINERGI_CASE_MAX_UPLOAD_BYTES = int(env("SINERGI_CASE_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
SINERGI_CASE_MAX_PHOTOS = int(env("SINERGI_CASE_MAX_PHOTOS", "5"))

# Announcements: organisations per fan-out batch; reminders every N days, at most M; a batch not
# finished after this many seconds is taken up again.
SINERGI_ANNOUNCEMENT_BATCH_SIZE = int(env("SINERGI_ANNOUNCEMENT_BATCH_SIZE", "1000"))
SINERGI_ANNOUNCEMENT_REMINDER_DAYS = int(env("SINERGI_ANNOUNCEMENT_REMINDER_DAYS", "3"))
SINERGI_ANNOUNCEMENT_MAX_REMINDERS = int(env("SINERGI_ANNOUNCEMENT_MAX_REMINDERS", "3"))
SINERGI_ANNOUNCEMENT_RESUME_AFTER_SECONDS = int(env("SINERGI_ANNOUNCEMENT_RESUME_AFTER_SECONDS", "600"))

# Evaluation: an indicator below this score gets a recommendation. Dashboards: figures per area are
# kept this long, then refreshed by a task while the previous ones are shown. Open data: counts of
# persons below the minimum cell are left empty; datasets are kept this long; who publishes them.
SINERGI_EVALUATION_ATTENTION_BELOW = int(env("SINERGI_EVALUATION_ATTENTION_BELOW", "60"))
SINERGI_DASHBOARD_CACHE_SECONDS = int(env("SINERGI_DASHBOARD_CACHE_SECONDS", "60"))
SINERGI_OPEN_DATA_MIN_CELL = int(env("SINERGI_OPEN_DATA_MIN_CELL", "3"))
SINERGI_OPEN_DATA_CACHE_SECONDS = int(env("SINERGI_OPEN_DATA_CACHE_SECONDS", "3600"))
SINERGI_OPEN_DATA_PRODUCER = env("SINERGI_OPEN_DATA_PRODUCER", "Badan Kesatuan Bangsa dan Politik Provinsi DKI Jakarta")

# Early warning: the reporting rhythm of an FKDM member, "reports/days" (a report or "nihil" each day).
_fkdm_reports, _fkdm_days = env("SINERGI_FKDM_REPORTS_PER_DAYS", "1/1").split("/")
SINERGI_FKDM_REPORTS_PER_DAYS = (int(_fkdm_reports), int(_fkdm_days))
REGISTRY_MAX_UPLOAD_BYTES = int(env("REGISTRY_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
REGISTRY_MAX_IMPORT_BYTES = int(env("REGISTRY_MAX_IMPORT_BYTES", str(20 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # PDF rendering narrates every step and font subset at INFO; only problems are worth a line.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
