"""Settings shared by every environment; all deployment choices come from the environment (docs/operator-guide.md)."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a 0/1 style flag from the environment."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("CARELEAD_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = os.environ.get("CARELEAD_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Written once with owner-only permissions so restarts keep sessions valid.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("CARELEAD_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("CARELEAD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'carelead.sqlite3'}"),
        conn_max_age=int(os.environ.get("CARELEAD_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

# A PostgreSQL streaming replica for heavy read-only work (docs/scaling.md). Nothing reads from it unless the code
# asks by name with `.using("replica")`; writes and migrations stay on the primary, and tests read the primary.
CARELEAD_DATABASE_REPLICA_URL = os.environ.get("CARELEAD_DATABASE_REPLICA_URL", "").strip()
if CARELEAD_DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        CARELEAD_DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("CARELEAD_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "carelead.core",
    "carelead.audit",
    "carelead.organisations",
    "carelead.people",
    "carelead.accounts",
    "carelead.boards",
    "carelead.learning",
    "carelead.equality",
    "carelead.actionplans",
    "carelead.boardappraisals",
    "carelead.feedback",
    "carelead.appraisals",
    "carelead.talent",
    "carelead.succession",
    "carelead.vacancies",
    "carelead.challenged",
    "carelead.nedpool",
    "carelead.fitproper",
    "carelead.boardskills",
    "carelead.boarddiversity",
    "carelead.nedcampaigns",
    "carelead.speakup",
    "carelead.standards",
    "carelead.imports",
    "carelead.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "carelead.core.middleware.RequestIdMiddleware",
    "carelead.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "carelead.accounts.middleware.RoleAssignmentMiddleware",
    "carelead.accounts.middleware.SignInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "carelead.core.middleware.LoginRequiredMiddleware",
    "carelead.equality.middleware.FiguresPendingMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "carelead" / "core" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "autoescape": True,
            "context_processors": ["carelead.core.navigation.shell"],
        },
    },
    {
        # Kept for DRF's browsable pages and Django's own templates (password reset email, etc.).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SESSION_COOKIE_AGE = int(os.environ.get("CARELEAD_SESSION_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from CareLead's own origin only; no inline
# script or style, no framing, forms post only back to CareLead.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Sign-in: the password is checked by django-axes first (it counts failures and locks out), then by the model
# backend. See docs/operator-guide.md, "Sign-in and two-factor authentication".
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CARELEAD_SIGNIN_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("CARELEAD_SIGNIN_LOCKOUT_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.jinja"
AXES_VERBOSE = False
# Two-factor sign-in (django-otp): TOTP devices, and recovery codes as static tokens. Every role above staff member
# needs it (carelead/accounts/twofactor.py); CARELEAD_TWO_FACTOR_REQUIRED=0 turns the requirement off for a site.
# After each wrong code the next try waits 1, 2, 4, 8 ... seconds (times the throttle factor).
CARELEAD_TWO_FACTOR_REQUIRED = env_bool("CARELEAD_TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "CareLead"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Single sign-on through OpenID Connect (mozilla-django-oidc; carelead/accounts/oidc.py), off unless
# CARELEAD_OIDC_ENABLED=1. The provider only says who someone is: their email must belong to an existing active
# CareLead user, and their roles are still granted inside CareLead. The endpoints are given explicitly (the
# provider's /.well-known/openid-configuration lists them) so that starting CareLead never waits on the network.
# With CARELEAD_OIDC_SATISFIES_TWO_FACTOR=1 the provider's own sign-in (for NHS CIS2, a smartcard or security key)
# counts as the second factor; otherwise users above staff member still give their CareLead code afterwards.
CARELEAD_OIDC_ENABLED = env_bool("CARELEAD_OIDC_ENABLED")
CARELEAD_OIDC_SATISFIES_TWO_FACTOR = env_bool("CARELEAD_OIDC_SATISFIES_TWO_FACTOR")
CARELEAD_OIDC_ISSUER = os.environ.get("CARELEAD_OIDC_ISSUER", "").strip().rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = float(os.environ.get("CARELEAD_OIDC_TIMEOUT_SECONDS", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
if CARELEAD_OIDC_ENABLED:
    INSTALLED_APPS += ["mozilla_django_oidc"]
    AUTHENTICATION_BACKENDS += ["carelead.accounts.oidc.CareLeadOIDCBackend"]
# A sign-in ends SESSION_COOKIE_AGE after it began however busy it is, and sooner after this long without a request
# (0: never). Activity is written to the session at most every tenth of this, not on every request.
CARELEAD_SESSION_IDLE_SECONDS = int(os.environ.get("CARELEAD_SESSION_IDLE_SECONDS", str(60 * 60)))
# NCSC password guidance: at least 12 characters and not on the breached-password list (the validators above), no
# rules about character classes, and an upper bound so that hashing a huge "password" cannot tie up a server.
AUTH_PASSWORD_VALIDATORS += [
    {"NAME": "carelead.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 256}},
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Collected at install time, beside the code: the same for every data directory.
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("build", BASE_DIR / "build" / "assets"),
    BASE_DIR / "carelead" / "core" / "static",
]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "uploads")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CARELEAD_IMPORT_MAX_BYTES = int(os.environ.get("CARELEAD_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
# Files at or under this many bytes are validated and written inside the web request; larger ones go to the worker.
CARELEAD_IMPORT_INLINE_BYTES = int(os.environ.get("CARELEAD_IMPORT_INLINE_BYTES", str(256 * 1024)))

EMAIL_BACKEND = os.environ.get("CARELEAD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("CARELEAD_FROM_EMAIL", "CareLead <no-reply@carelead.invalid>")

# Background tasks: the database queue by default (`carelead db_worker`), or Redis through RQ with
# CARELEAD_TASK_BACKEND=rq and CARELEAD_REDIS_URL (`carelead rqworker default`); docs/scaling.md.
TASK_BACKEND_NAMES = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
_task_backend = os.environ.get("CARELEAD_TASK_BACKEND", "").strip() or "database"
TASKS = {"default": {"BACKEND": TASK_BACKEND_NAMES.get(_task_backend, _task_backend)}}
CARELEAD_REDIS_URL = os.environ.get("CARELEAD_REDIS_URL", "redis://127.0.0.1:6379/0")
# RQ stops a job after DEFAULT_TIMEOUT seconds (3 minutes unless set); a national import or trend refresh takes longer.
RQ_QUEUES = {
    "default": {"URL": CARELEAD_REDIS_URL, "DEFAULT_TIMEOUT": int(os.environ.get("CARELEAD_TASK_TIMEOUT", "14400"))}
}
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
if TASKS["default"]["BACKEND"] == TASK_BACKEND_NAMES["rq"]:
    TASKS["default"]["QUEUES"] = list(RQ_QUEUES)
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "carelead.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "carelead.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CareLead API",
    "DESCRIPTION": "Integration API of CareLead, the leadership and talent platform for health and social care.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Served from our own static files: the service makes no requests to other sites.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "carelead.api.schema.add_error_responses",
    ],
}

# Domain settings (docs/decisions/0005-domain-settings.md): readings of the guidance that can be changed.
CARELEAD_CHALLENGED_SEGMENTS = [5]
CARELEAD_CHALLENGED_CQC_RATINGS = ["inadequate"]
# Incentive packages on leadership roles in challenged organisations (domain.md section 6, the 2025 policy): the
# pay uplift in per cent and its cap in pounds a year, the performance bonus in per cent, and the levels whose
# vacancies may carry a package.
CARELEAD_INCENTIVE_MAX_UPLIFT_PERCENT = 15
CARELEAD_INCENTIVE_MAX_UPLIFT_POUNDS = 45_000
CARELEAD_INCENTIVE_MAX_BONUS_PERCENT = 10
CARELEAD_INCENTIVE_LEVELS = ["first_line", "middle", "senior", "executive"]
# Disclosure control (domain.md section 9) for figures shown without record-level rights.
CARELEAD_DISCLOSURE = {
    "SUPPRESS_MAX": int(os.environ.get("CARELEAD_DISCLOSURE_SUPPRESS_MAX", "7")),
    "ROUND_TO": int(os.environ.get("CARELEAD_DISCLOSURE_ROUND_TO", "5")),
}
# How WRES3 and WDES3 read "a two-year rolling average of the current and previous year": pooled (both years'
# entrants over both years' headcounts, the default), mean_of_likelihoods (the ratio of each group's average
# yearly likelihood) or mean_of_ratios (the average of the two yearly relative likelihoods).
CARELEAD_TWO_YEAR_READING = os.environ.get("CARELEAD_TWO_YEAR_READING", "pooled")
# 360 feedback: the fewest and most raters per group a request may ask, {group: (minimum, maximum)}. Peer, direct
# report and other groups are shown only with at least 3 answers, whatever these say (docs/decisions/0009).
CARELEAD_FEEDBACK_RULES = {"manager": (0, 1), "peer": (3, 8), "direct_report": (0, 8), "other": (0, 5)}
# Trend charts: how many quarters each series covers, and whether data changes recompute them in the background.
CARELEAD_TREND_QUARTERS = int(os.environ.get("CARELEAD_TREND_QUARTERS", "20"))
CARELEAD_TRENDS_REFRESH_ON_CHANGE = os.environ.get("CARELEAD_TRENDS_REFRESH_ON_CHANGE", "1") == "1"
# Equality figures for every scope are computed on the task worker, never inside a request (England takes about a
# minute): after each data change for the last complete year, and on demand for other years. Pages show the previous
# figures, marked as being updated, until the new ones are ready. IN_REQUEST computes them inside the request
# instead (for a site run without a worker).
CARELEAD_FIGURES_REFRESH_ON_CHANGE = os.environ.get("CARELEAD_FIGURES_REFRESH_ON_CHANGE", "1") == "1"
CARELEAD_FIGURES_IN_REQUEST = os.environ.get("CARELEAD_FIGURES_IN_REQUEST", "0") == "1"
CARELEAD_FIGURES_KEEP_SECONDS = int(os.environ.get("CARELEAD_FIGURES_KEEP_SECONDS", str(7 * 24 * 3600)))
CARELEAD_FIGURES_QUEUE_SECONDS = int(os.environ.get("CARELEAD_FIGURES_QUEUE_SECONDS", "900"))
# The interpretation band for relative likelihoods: the four-fifths rule many organisations adopt locally; it is
# not an NHS England rule, and pages label it as a local setting.
CARELEAD_INTERPRETATION_BAND = (
    float(os.environ.get("CARELEAD_INTERPRETATION_LOW", "0.80")),
    float(os.environ.get("CARELEAD_INTERPRETATION_HIGH", "1.25")),
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CARELEAD_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# A cache every process on the machine shares (import progress, throttling); point it at Redis when the
# web servers and workers run on several machines.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CARELEAD_CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache"),
        "LOCATION": os.environ.get("CARELEAD_CACHE_LOCATION", str(DATA_DIR / "cache")),
    }
}

# The national induction (domain.md section 3): which requirement it is, from when joiners must do it, and how
# many days after starting it is due.
CARELEAD_INDUCTION_REQUIREMENT = os.environ.get("CARELEAD_INDUCTION_REQUIREMENT", "REQ-INDUCTION")
CARELEAD_INDUCTION_FROM = os.environ.get("CARELEAD_INDUCTION_FROM", "2025-04-01")
CARELEAD_INDUCTION_DUE_DAYS = int(os.environ.get("CARELEAD_INDUCTION_DUE_DAYS", "90"))

# Speak up (domain.md section 10): how long a closed case's content is kept before the daily purge deletes it,
# leaving only what the quarterly return counts; and the limits on files attached to a concern or a message.
CARELEAD_SPEAKUP_RETENTION_DAYS = int(os.environ.get("CARELEAD_SPEAKUP_RETENTION_DAYS", "365"))
# Retention of other personal data, in days (carelead/core/retention.py lists every rule; the daily job applies
# them; docs/decisions/0011-retention.md says why): leavers' equality monitoring is reduced to ethnic category and
# disability, then deleted; NED candidates with no contact are anonymised; uploaded import files are deleted.
CARELEAD_LEAVER_MONITORING_REDUCE_DAYS = int(os.environ.get("CARELEAD_LEAVER_MONITORING_REDUCE_DAYS", "1095"))
CARELEAD_LEAVER_MONITORING_DELETE_DAYS = int(os.environ.get("CARELEAD_LEAVER_MONITORING_DELETE_DAYS", "2190"))
CARELEAD_NED_CANDIDATE_RETENTION_DAYS = int(os.environ.get("CARELEAD_NED_CANDIDATE_RETENTION_DAYS", "1095"))
CARELEAD_IMPORT_FILE_RETENTION_DAYS = int(os.environ.get("CARELEAD_IMPORT_FILE_RETENTION_DAYS", "30"))
CARELEAD_SPEAKUP_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("CARELEAD_SPEAKUP_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)
CARELEAD_SPEAKUP_ATTACHMENTS_PER_MESSAGE = int(os.environ.get("CARELEAD_SPEAKUP_ATTACHMENTS_PER_MESSAGE", "5"))

# The address people reach CareLead at; used in the ids of the credentials it issues.
CARELEAD_PUBLIC_URL = os.environ.get("CARELEAD_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
