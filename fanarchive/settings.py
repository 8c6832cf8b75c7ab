"""Fanarchive settings: one file, every tunable read from the environment.

See the README's "Configuration" section for the variables.
"""

import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext

from lib.env import env_bool, env_int, env_list, env_str

# Lets admin and form classes be subscripted for type checking (ModelAdmin[Work]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

# The data directory holds the SQLite database, the generated secret key and
# uploaded media. It lives outside the code tree so a fresh checkout or an
# upgrade never touches an archive's data.
_default_data_dir = Path(env_str("XDG_DATA_HOME", str(Path.home() / ".local" / "share"))) / "fanarchive"
DATA_DIR = Path(env_str("FANARCHIVE_DATA_DIR", str(_default_data_dir))).expanduser()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    from_env = env_str("SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = env_str("SITE_NAME", "Fanarchive")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "accounts",
    "tags",
    "works",
    "jobs",
    "comments",
    "bookmarks",
    "community",
    "search",
    "imports",
    "downloads",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
]
FORM_RENDERER = "lib.forms.ArchiveFormRenderer"

MIDDLEWARE = [
    # Pages compressed for slow phone connections (a 100,000-word chapter is ~600 KB of
    # HTML, ~200 KB gzipped). CSRF tokens are masked per response, so BREACH finds no secret.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lib.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language from Accept-Language, among LANGUAGES (after sessions, before common).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fanarchive.urls"
WSGI_APPLICATION = "fanarchive.wsgi.application"

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
                "fanarchive.context_processors.site",
                "fanarchive.context_processors.reader",
                "fanarchive.context_processors.account_menu",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL=postgres://user@host:port/name switches engines.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'fanarchive.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock between two writing transactions.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Failed logins allowed per username and per client address within the window.
LOGIN_ATTEMPTS_LIMIT = env_int("LOGIN_ATTEMPTS_LIMIT", 10)
LOGIN_ATTEMPTS_WINDOW_SECONDS = env_int("LOGIN_ATTEMPTS_WINDOW_SECONDS", 15 * 60)

# Comments: how many one user, and one address, may post within the window; and the
# spam check every comment goes through (a dotted path to a callable, see comments/spam.py).
COMMENT_RATE_LIMIT = env_int("COMMENT_RATE_LIMIT", 10)
COMMENT_RATE_WINDOW_SECONDS = env_int("COMMENT_RATE_WINDOW_SECONDS", 10 * 60)
COMMENT_SPAM_CHECKER = env_str("COMMENT_SPAM_CHECKER", "comments.spam.heuristic_spam_check")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Email: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Fanarchive <noreply@localhost>")

LANGUAGE_CODE = "en"
# The interface languages: English, plus one line per catalogue in locale/ (README, "Translating").
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Hashed, compressed names need `collectstatic` (./run does it); development and
# tests serve the files as they are.
if DEBUG or env_bool("PLAIN_STATIC_FILES", False):
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Whitenoise serves hashed names ("site.3f2a….css") with a ten-year, immutable Cache-Control
# and their gzip and brotli copies (made by collectstatic; brotli needs the Brotli package).

# Hits are buffered in each process and written in one batch this often, so a
# page view never waits for the database's write lock.
HITS_FLUSH_SECONDS = env_int("HITS_FLUSH_SECONDS", 30)

WORKS_PER_PAGE = 20
# As AO3: past this many results a listing stops paging (its count stays exact).
MAX_PAGED_RESULTS = env_int("MAX_PAGED_RESULTS", 100_000)
# Full-text search (search app). The index lives on local disk; with several
# machines, one holds it and the others send searches there (README "Search at scale").
SEARCH_INDEX_DIR = Path(env_str("SEARCH_INDEX_DIR", str(DATA_DIR / "search")))
# Set on the nodes that don't hold the index: the base URL of the one that does.
SEARCH_URL = env_str("SEARCH_URL")
# Shared by the search node and the nodes that call it; the search API is off without it.
SEARCH_API_KEY = env_str("SEARCH_API_KEY")
SEARCH_TIMEOUT_SECONDS = env_int("SEARCH_TIMEOUT_SECONDS", 5)
# Kudos, hits and tag wrangling update a work's search document after this delay, batched.
SEARCH_LAZY_SECONDS = env_int("SEARCH_LAZY_SECONDS", 60)

# A 510,000-character chapter in a CJK script is ~4.6 MB once form-encoded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

# Imports (imports app): the largest file accepted, and what a DOCX or EPUB may unpack to (zip bombs).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
