"""Kärki settings: one module, driven by environment variables, safe defaults for development.

Every variable is documented in `.env.example`. With none set, Kärki runs on an embedded SQLite
database in `var/`. Production (`KARKI_ENV=production`) refuses to start insecurely.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (for container secrets)."""
    import os

    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# development (`make dev`: runserver, DEBUG), local (`make run`: served as in production, DEBUG off, on
# 127.0.0.1 over plain HTTP) or production (HTTPS behind a proxy; refuses to start insecurely).
KARKI_ENV = env("KARKI_ENV", "development")
if KARKI_ENV not in ("development", "local", "production"):
    raise ImproperlyConfigured("KARKI_ENV must be development, local or production.")
PRODUCTION = KARKI_ENV == "production"
LOCAL = KARKI_ENV == "local"
DEBUG = env_bool("DEBUG", default=KARKI_ENV == "development")
# Where the SQLite database and other local state of a single-host installation live (default ./var).
VAR_DIR = Path(env("KARKI_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")


def _local_secret_key() -> str:
    """The key of a local installation: made once, kept in var/secret_key, so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="utf-8") as file:  # "x": another process may have made it meanwhile
                path.chmod(0o600)
                file.write(secrets.token_urlsafe(64))
        except FileExistsError:
            pass
    return path.read_text(encoding="utf-8").strip()


_INSECURE_KEY = "django-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY") or (_local_secret_key() if LOCAL else _INSECURE_KEY)
ALLOWED_HOSTS = [h.strip() for h in (env("ALLOWED_HOSTS", "127.0.0.1,localhost") or "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in (env("CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o.strip()]

if PRODUCTION:
    if SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY or "") < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
    if not env("DATABASE_URL"):
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL in production.")

INSTALLED_APPS = [
    "modeltranslation",  # before admin, so that translated fields show there
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI for /docs/api/, served from static files
    "axes",
    "csp",
    "mozilla_django_oidc",
    "django_htmx",
    "template_partials",
    "simple_history",
    "karki.core",
    "karki.accounts",
    "karki.organisations",
    "karki.programmes",
    "karki.audit",
    "karki.okr",
    "karki.monitoring",
    "karki.jobs",
    "karki.reports",
    "karki.workbooks",
    "karki.forecasts",
    "karki.figures",
    "karki.books",
    "karki.projects",
    "karki.public",
    "karki.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: one log line per request with its time, whatever answers it.
    "karki.core.middleware.RequestLogMiddleware",
    # Before the host check and the HTTPS redirect: load balancers ask by address and over plain HTTP.
    "karki.core.health.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "karki.core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "karki.core.middleware.LanguageMiddleware",
    # Inside the language: 404 and 500 on /api/ paths answered as JSON in the user's language.
    "karki.core.api.handlers.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "karki.core.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'karki.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60") or 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # The embedded database shared by the app processes and the worker: WAL lets readers work beside the
    # one writer; every transaction takes the write lock when it begins (IMMEDIATE), so two of them never
    # deadlock upgrading a read to a write; a writer waits up to `timeout` seconds for the lock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"  # "my work": what the person must do now, and their programmes
# Monthly status reports are due on this day of the following month (shown on "my work" and in the reports list).
REPORTS_DUE_DAY = max(1, min(28, int(env("REPORTS_DUE_DAY", "5") or 5)))
LOGOUT_REDIRECT_URL = "accounts:login"
# Shown on the "no roles" page to people who may sign in but hold no role yet (an e-mail address or a name).
ACCESS_CONTACT = env("ACCESS_CONTACT", "") or ""

# Sign-in: username and password, and/or single sign-on with OpenID Connect (Entra ID). See .env.example.
PASSWORD_LOGIN_ENABLED = env_bool("PASSWORD_LOGIN_ENABLED", True)
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
if not PASSWORD_LOGIN_ENABLED and not OIDC_ENABLED:
    raise ImproperlyConfigured("PASSWORD_LOGIN_ENABLED=false needs OIDC_ENABLED=true, or nobody can sign in.")
AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in of a locked-out username and address before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    *(["django.contrib.auth.backends.ModelBackend"] if PASSWORD_LOGIN_ENABLED else []),
    *(["karki.accounts.oidc.OIDCBackend"] if OIDC_ENABLED else []),
]

# Single sign-on with OpenID Connect (mozilla-django-oidc), for example Microsoft Entra ID. Off unless
# OIDC_ENABLED=true. With OIDC_ENTRA_TENANT_ID the Entra endpoints are filled in; other providers set them.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", "") or ""
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", "") or ""
OIDC_ENTRA_TENANT_ID = env("OIDC_ENTRA_TENANT_ID", "") or ""
_ENTRA = f"https://login.microsoftonline.com/{OIDC_ENTRA_TENANT_ID}" if OIDC_ENTRA_TENANT_ID else ""
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT") or (
    f"{_ENTRA}/oauth2/v2.0/authorize" if _ENTRA else ""
)
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT") or (f"{_ENTRA}/oauth2/v2.0/token" if _ENTRA else "")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT") or (f"{_ENTRA}/discovery/v2.0/keys" if _ENTRA else "")
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER") or (f"{_ENTRA}/v2.0" if _ENTRA else "")
# Optional: claims are read from the signed ID token; a userinfo endpoint only adds to them.
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", "") or ""
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256") or "RS256"
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile") or "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_CREATE_USER = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc-callback"
LOGIN_REDIRECT_URL_FAILURE = "accounts:login"
# "<group id or app role>=<organisation slug>:<role>;..." and the claims that hold groups and app roles.
OIDC_ROLE_MAP = env("OIDC_ROLE_MAP", "") or ""
OIDC_ROLE_CLAIMS = [c.strip() for c in (env("OIDC_ROLE_CLAIMS", "roles,groups") or "").split(",") if c.strip()]
# Roles from sign-on are synchronised only at sign-in: API tokens of a sign-on user stop working when
# their last sign-on is older than this many days, so that a leaver's token does not outlive their roles.
OIDC_TOKEN_REVALIDATE_DAYS = int(env("OIDC_TOKEN_REVALIDATE_DAYS", "7") or 7)
if OIDC_TOKEN_REVALIDATE_DAYS < 1:
    raise ImproperlyConfigured("OIDC_TOKEN_REVALIDATE_DAYS must be 1 or more.")
if OIDC_ENABLED:
    _missing = [
        name for name in ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT",
                          "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT")
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(f"OIDC_ENABLED=true needs {', '.join(_missing)} (or OIDC_ENTRA_TENANT_ID).")

# Brute-force protection (django-axes): after AXES_FAILURE_LIMIT failed passwords for one username from
# one address, that combination is refused for AXES_COOLOFF_MINUTES. Keyed on both, so an attacker
# cannot lock everybody out, nor one person out from every computer.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15") or 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command
AXES_LOCKOUT_CALLABLE = "karki.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "karki.accounts.lockout.client_ip"
# Single sign-on attempts are not counted: the identity provider guards its own passwords.
AXES_WHITELIST_CALLABLE = "karki.accounts.lockout.is_single_sign_on"
# Behind a reverse proxy: how many proxies append to CLIENT_IP_HEADER (0 = clients connect directly).
REVERSE_PROXY_COUNT = int(env("REVERSE_PROXY_COUNT", "0") or 0)
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR") or "HTTP_X_FORWARDED_FOR"

# Languages: Finnish is the default; Swedish is the county's second official language.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "karki_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_LANGUAGES = ("fi", "sv", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fi", "sv", "en")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The design system's stylesheet, installed from the npm registry by `make install` (package-lock.json).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/designsystemet", BASE_DIR / "node_modules" / "@digdir" / "designsystemet-css" / "dist"),
]
# Uploaded and generated files: Kärki keeps those it makes (imports, reports, exports) in the database
# (karki/jobs), so an app host keeps no state of its own. Anything stored through Django's file storage
# goes to the local disk (development, a single host) or, with FILE_STORAGE=s3, to an S3-compatible object
# storage shared by every app host and worker (django-storages; AWS_* variables in .env.example).
FILE_STORAGE = env("FILE_STORAGE", "local") or "local"
if FILE_STORAGE == "s3":
    AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", "") or ""
    if not AWS_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("FILE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL") or None  # an S3-compatible service other than AWS
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME") or None
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID") or None  # None: the host's role or environment credentials
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY") or None
    AWS_LOCATION = env("AWS_LOCATION", "") or ""  # a folder (key prefix) inside the bucket
    AWS_DEFAULT_ACL = None  # the bucket's own policy: private
    AWS_QUERYSTRING_AUTH = True  # files are reached through short-lived signed addresses only
    AWS_QUERYSTRING_EXPIRE = int(env("AWS_QUERYSTRING_EXPIRE", "300") or 300)
    AWS_S3_FILE_OVERWRITE = False
    _DEFAULT_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage"}
elif FILE_STORAGE == "local":
    MEDIA_ROOT = VAR_DIR / "media"
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("FILE_STORAGE must be local or s3.")
STORAGES = {
    "default": _DEFAULT_STORAGE,
    # Served by whitenoise from the app process: hashed names, compressed, cached for a year. Collected by
    # `manage.py collectstatic` (make run does it); development serves them straight from static/.
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION or LOCAL
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REST_FRAMEWORK = {
    # The API's contract (karki/core/api/): every refusal as {"detail", "code", "errors"}, decimals as
    # strings, `?format=` read strictly, and 400/401/403/404 documented on every operation.
    "DEFAULT_SCHEMA_CLASS": "karki.core.api.schema.ContractSchema",
    "EXCEPTION_HANDLER": "karki.core.api.handlers.exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "karki.core.api.StrictContentNegotiation",
    # Scripts and BI tools send a personal token (accounts/tokens/); the browser uses its session.
    # The token class comes first: it challenges (401 with `WWW-Authenticate: Token`) a request without
    # credentials and one with a wrong or expired token; a signed-in browser is never challenged.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "karki.accounts.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["karki.core.api.JSONRenderer"],
    "COERCE_DECIMAL_TO_STRING": True,
}
KNOX_TOKEN_MODEL = "accounts.ApiToken"
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=90),  # the default; the token page offers its own choices
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kärki API",
    "DESCRIPTION": (
        "Productivity programmes of wellbeing services counties. Money is in euros as decimal "
        "strings. `savings_*` is positive when costs fall; `cost_change_*` is negative when "
        "costs fall. Translated content is an object {fi, sv, en}."
    ),
    "VERSION": "1.0.0",
    # The interactive reference at /docs/api/ loads Swagger UI from drf-spectacular-sidecar's static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"PotentialClassEnum": "karki.programmes.enums.PotentialClass",
                            "TrafficLightEnum": "karki.monitoring.enums.TrafficLight",
                            "PhaseEnum": "karki.monitoring.enums.Phase",
                            "ServiceLevelImpactEnum": "karki.programmes.enums.ServiceLevelImpact",
                            "StatusEnum": ["draft", "approved"],
                            "ProjectStatusEnum": "karki.projects.enums.ProjectStatus",
                            "MilestoneStatusEnum": "karki.projects.enums.MilestoneStatus",
                            "FunderKindEnum": "karki.projects.enums.FunderKind",
                            "ItemKindEnum": "karki.projects.enums.ItemKind",
                            "EstimateKindEnum": "karki.programmes.enums.EstimateKind",
                            "EstimateKindValuesEnum": ["point", "range", "upper_bound", "enabling", "to_be_specified"]},
}

# Security: secure cookies and headers whenever the app is served over HTTPS.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 60 * 60)) or 8 * 60 * 60)  # a working day
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: htmx posts forms that carry {% csrf_token %} in a hidden field.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page of Kärki uses, switched off for the page and anything it might embed.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Content Security Policy (django-csp 4): only Kärki's own files. Templates hold no inline <script>,
# style="" or on*= handler, and htmx is told not to inject its indicator <style> (see base.html).
# The Django admin satisfies it too (checked in a browser), so it gets no exception of its own. Only
# django-simple-history's admin history page has a style="border-top: 0" that the browser then ignores:
# a thin line above its paginator is the only effect, not worth 'unsafe-inline' for the whole admin.
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
    },
}
if env("CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [env("CSP_REPORT_URI")]

if LOCAL and SECRET_KEY == _INSECURE_KEY:
    raise ImproperlyConfigured("KARKI_ENV=local needs a SECRET_KEY (or none, to use var/secret_key).")

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix makes browsers refuse these cookies unless secure, host-only and path=/.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # load balancers check over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Background work (imports, reports): django-tasks with its database backend by default, run by
# `manage.py db_worker` processes beside the app processes (make run starts one). Another backend,
# for example django_tasks_rq.RQBackend on Redis, is only a setting.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# The largest file a person may upload for background work (an import), in bytes.
JOB_INPUT_MAX_BYTES = int(env("JOB_INPUT_MAX_BYTES", str(10 * 1024 * 1024)) or 10 * 1024 * 1024)
# Work still waiting or running this many minutes after it was started (or taken up) is taken to have
# stopped (a worker died or none is running): it is shown and stored as failed, so the person starts it
# again instead of watching a page that never finishes. Longer than the longest import or report takes.
JOB_TIMEOUT_MINUTES = max(int(env("JOB_TIMEOUT_MINUTES", "30") or 30), 1)
# Each worker records that it is alive this often (seconds); /healthz/ takes a worker not seen for
# HEALTHZ_WORKER_SECONDS as gone, and answers 503 for it only if HEALTHZ_REQUIRE_WORKER is on.
WORKER_HEARTBEAT_SECONDS = max(float(env("WORKER_HEARTBEAT_SECONDS", "10") or 10), 1)
HEALTHZ_WORKER_SECONDS = max(int(env("HEALTHZ_WORKER_SECONDS", "60") or 60), 2)
HEALTHZ_REQUIRE_WORKER = env_bool("HEALTHZ_REQUIRE_WORKER", False)

# A request may carry this many form fields (Django's default is 1 000). The monthly report page sends
# about 16 a measure and shows at most one theme at a time for people with many measures.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

SITE_NAME = "Kärki"

# The accessibility statement (/accessibility/, Act on the Provision of Digital Services 306/2019): where
# people send accessibility feedback, and the supervisory authority they may turn to if the answer does
# not satisfy them. Empty authority fields show the defaults of the statement (Lupa- ja valvontavirasto,
# the Finnish Permit and Supervision Agency, which took over the work of the regional state
# administrative agencies on 1.1.2026, and the monitoring unit's site).
ACCESSIBILITY_FEEDBACK_EMAIL = env("ACCESSIBILITY_FEEDBACK_EMAIL", "") or ""
ACCESSIBILITY_AUTHORITY_NAME = env("ACCESSIBILITY_AUTHORITY_NAME", "") or ""
ACCESSIBILITY_AUTHORITY_URL = env("ACCESSIBILITY_AUTHORITY_URL", "") or "https://www.saavutettavuusvaatimukset.fi/"
ACCESSIBILITY_AUTHORITY_EMAIL = env("ACCESSIBILITY_AUTHORITY_EMAIL", "") or ""
ACCESSIBILITY_AUTHORITY_PHONE = env("ACCESSIBILITY_AUTHORITY_PHONE", "") or ""
# A key result whose latest confidence (0–100) is below this shows as at risk (each key result may set its own).
OKR_AT_RISK_CONFIDENCE = int(env("OKR_AT_RISK_CONFIDENCE", "50") or 50)
SAMPLE_DATA_NOTICE = _("Sample data")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint tells every step of every PDF at INFO; its warnings and errors still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One line per request: method, path, status, milliseconds (karki.core.middleware). REQUEST_LOG=false
        # silences it, for example when the proxy in front already logs every request.
        "karki.request": {"level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING"},
        # runserver's own line per request would repeat ours.
        "django.server": {"level": "WARNING"},
    },
}

# E-mail (reminders about missing status reports): printed on the console unless SMTP is configured.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds to wait for the mail server before a reminder counts as not sent: a hanging server must not hold
# the "Send the reminders" page (or cron) indefinitely.
try:
    EMAIL_TIMEOUT = float(env("EMAIL_TIMEOUT", "10") or 10)
except ValueError as exc:
    raise ImproperlyConfigured("EMAIL_TIMEOUT must be a number of seconds, for example 10.") from exc
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "karki@localhost")
# The port `make run` and `make dev` serve on, and the address used in the links of e-mails sent by
# management commands (they have no request): the served address unless SITE_URL says otherwise.
PORT = int(env("PORT", "8000") or 8000)
SITE_URL = env("SITE_URL") or f"http://127.0.0.1:{PORT}"

# Figures (karki/figures): each app process keeps up to this many computed summaries, status pictures
# and forecasts, each under the tokens of what it was computed from, and for at most this many seconds.
FIGURES_CACHE_ENTRIES = int(env("FIGURES_CACHE_ENTRIES", "256"))
FIGURES_CACHE_SECONDS = int(env("FIGURES_CACHE_SECONDS", "600"))

# The public site (/public/<programme>/) and its open data (karki/public). Every public figure is offered
# under this licence (CC BY 4.0 unless the county chooses another: an SPDX identifier, its name and address).
PUBLIC_DATA_LICENCE = {
    "name": env("PUBLIC_DATA_LICENCE_ID", "CC-BY-4.0") or "CC-BY-4.0",
    "title": env("PUBLIC_DATA_LICENCE_TITLE", "Creative Commons Attribution 4.0") or "Creative Commons Attribution 4.0",
    "path": env("PUBLIC_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")
    or "https://creativecommons.org/licenses/by/4.0/",
}
# Each app process keeps up to this many rendered public pages, each under the tokens of what it was made
# from (a published version, an issued report, the public settings), so a change is seen at once everywhere.
PUBLIC_CACHE_ENTRIES = int(env("PUBLIC_CACHE_ENTRIES", "2000"))
# How long browsers and a CDN in front may keep a public page or data file without asking again.
PUBLIC_CACHE_MAX_AGE = int(env("PUBLIC_CACHE_MAX_AGE", "300"))
