"""Fanarchive settings: one file, every tunable read from the environment.

See the README's "Configuration" section for the variables.
"""

import os
import secrets
from pathlib import Path
from typing import Any

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
# Everything the archive writes is its own: the database, downloads and imports hold drafts and
# restricted works. Files are made 0600 and folders 0700 (and an older data folder is closed).
os.umask(0o077)
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATA_DIR.chmod(0o700)


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
# Only the first name of a new archive: staff then set it (and the rest of how the archive
# runs: sign-ups, guests, downloads) on the archive settings page (sitecontent app).
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
    "wrangling",
    "moderation",
    "feeds",
    "api",
    "sitecontent",
    "news",
    "support",
    "migration",
    "archive",
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
    # HTML, ~200 KB compressed): Brotli or gzip at their fastest (lib/middleware.py says why).
    # CSRF tokens are masked per response, so BREACH finds no secret.
    "lib.middleware.CompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Web pages elsewhere may read the API and feeds (GET only, never with cookies).
    "api.middleware.ReadCorsMiddleware",
    "lib.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language from Accept-Language, among LANGUAGES (after sessions, before common).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # API and OPDS requests: a personal token's owner replaces the session's user; rate limits.
    "api.middleware.TokenAuthMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Banned accounts are logged out, suspended ones refused every write (moderation.standing).
    "moderation.middleware.StandingMiddleware",
    # Members accept a new version of the terms of service before going on (accounts/middleware.py).
    "accounts.middleware.TermsMiddleware",
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
                "sitecontent.context_processors.site",
                "fanarchive.context_processors.reader",
                "feeds.context_processors.feed",
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
# CACHES: see "Hardening" below (rate limits need a cache every process shares).

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
# Failed logins allowed per username, and per client address, within the window (lib.ratelimit).
LOGIN_ATTEMPTS_LIMIT = env_int("LOGIN_ATTEMPTS_LIMIT", 10)
LOGIN_ATTEMPTS_WINDOW_SECONDS = env_int("LOGIN_ATTEMPTS_WINDOW_SECONDS", 15 * 60)

# Comments: how many one user, and one address, may post within the window; and the
# spam check every comment goes through (a dotted path to a callable, see comments/spam.py).
COMMENT_RATE_LIMIT = env_int("COMMENT_RATE_LIMIT", 10)
# API and OPDS requests per window: per client address, and per personal token.
API_RATE_WINDOW_SECONDS = env_int("API_RATE_WINDOW_SECONDS", 60)
API_RATE_LIMIT_ADDRESS = env_int("API_RATE_LIMIT_ADDRESS", 300)
API_RATE_LIMIT_TOKEN = env_int("API_RATE_LIMIT_TOKEN", 600)
COMMENT_RATE_WINDOW_SECONDS = env_int("COMMENT_RATE_WINDOW_SECONDS", 10 * 60)
COMMENT_SPAM_CHECKER = env_str("COMMENT_SPAM_CHECKER", "comments.spam.heuristic_spam_check")
# Sign-ups (and invite-queue requests) allowed per client address within the window, and the
# spam check every sign-up goes through (a dotted path to a callable, see accounts/signup.py).
SIGNUP_RATE_LIMIT = env_int("SIGNUP_RATE_LIMIT", 5)
SIGNUP_RATE_WINDOW_SECONDS = env_int("SIGNUP_RATE_WINDOW_SECONDS", 3600)
SIGNUP_SPAM_CHECKER = env_str("SIGNUP_SPAM_CHECKER", "accounts.signup.heuristic_signup_check")

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
# Tag wrangling updates a work's search document after this delay, batched (counters such as
# kudos and hits are not in the search index at all).
SEARCH_LAZY_SECONDS = env_int("SEARCH_LAZY_SECONDS", 60)
# A stopping worker waits this long for the index's running merges to finish.
SEARCH_STOP_MERGE_SECONDS = env_int("SEARCH_STOP_MERGE_SECONDS", 10)

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

# --- Hardening (issue 12): log-in, rate limits, proxies, request limits ---------------------
# Usernames are unique ignoring case (sign-up), so log-in ignores case too.
AUTHENTICATION_BACKENDS = ["accounts.backends.CaseInsensitiveModelBackend"]
# The cache every process shares (lib.ratelimit: rate limits and hit de-duplication): Redis
# when REDIS_URL is set, else the database's cache table (created by migrate). "database" is
# also the fallback when Redis is unreachable. Never per-process memory: two workers would
# each allow the whole limit.
_DATABASE_CACHE = {
    "BACKEND": "lib.cache.AtomicDatabaseCache",
    "LOCATION": "fanarchive_cache",
    "TIMEOUT": 24 * 3600,
    "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 200_000)},
}
CACHES: dict[str, dict[str, Any]] = {"default": _DATABASE_CACHE, "database": _DATABASE_CACHE}
if REDIS_URL:
    # Short timeouts: a Redis outage costs a page a second at most, then the fallback counts.
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
# Rendered blurbs (works.templatetags.blurbs): keyed by their content, so each process may keep
# its own; in memory, because a network round trip would cost about what rendering does.
CACHES["blurbs"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "blurbs",
    "OPTIONS": {"MAX_ENTRIES": env_int("BLURB_CACHE_ENTRIES", 20_000)},
}
# Chapter text with its paragraph anchors (search.templatetags.chapters), keyed by the chapter's
# version: per process, so a long chapter's page skips reading and anchoring ~550 KB. Bounded in
# entries: most chapters are tens of KB; a process serving only 100,000-word chapters holds ~55 MB.
CACHES["chapters"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "chapters",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": env_int("CHAPTER_CACHE_ENTRIES", 100)},
}
# First pages of searches (search.backend.run_cached), keyed by the query and the index's and the
# database's generation, so never stale: per process, as the index is read by this process.
CACHES["search"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "search",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": env_int("SEARCH_CACHE_ENTRIES", 1000)},
}
# A logged-in reader's mutes, tag exclusions and saved filters (accounts.reader), keyed by the
# version their account row carries: per process, since a request reads the version anyway and
# an entry of an old version is never asked for again. A few KB per reader.
CACHES["readers"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "readers",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": env_int("READER_CACHE_ENTRIES", 10_000)},
}
# Small values every page reads (sitecontent's archive settings) when there is no Redis: per
# process, refreshed every 30 s, so a page never pays a database query for them.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"}
LOGIN_ADDRESS_ATTEMPTS_LIMIT = env_int("LOGIN_ADDRESS_ATTEMPTS_LIMIT", 50)
KUDOS_RATE_LIMIT = env_int("KUDOS_RATE_LIMIT", 60)  # kudos per user or address per 10 minutes
KUDOS_RATE_WINDOW_SECONDS = 600
HITS_RATE_LIMIT = env_int("HITS_RATE_LIMIT", 600)  # hits counted per address per hour
HITS_RATE_WINDOW_SECONDS = 3600
# Behind a reverse proxy: its addresses (or networks), so X-Forwarded-For is believed from it
# (read from the right); the header it sets for HTTPS; HSTS once the site is HTTPS only.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# BEHIND_TLS_PROXY=true (deploy/env.example) is short for PROXY_SSL_HEADER=X-Forwarded-Proto.
_proxy_ssl_header = env_str("PROXY_SSL_HEADER") or ("X-Forwarded-Proto" if env_bool("BEHIND_TLS_PROXY", False) else "")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# SQLite's test database is a file, not shared memory: tests that run requests in parallel
# threads (every counter and uniqueness rule) then meet SQLite's real locking (WAL, IMMEDIATE,
# the busy timeout above), as a server's processes do; and tests that start real `run_jobs`
# processes see it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
# A PostgreSQL server out of reach fails a request or a worker turn within seconds, not minutes.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
    # Parameters sent apart from the query text (psycopg's server-side binding) rather than quoted
    # into it in Python, and a query the connection has run this many times kept prepared, so the
    # server parses and plans it once (Django's default is never: README "Running on PostgreSQL"
    # says when to turn it off behind a pooler). Preparing needs server-side binding; together
    # they took ~0.4 ms of web CPU and ~1.5 ms of wall time off a listing page (CONTRIBUTING).
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", env_bool("DATABASE_SERVER_SIDE_BINDING", True))
    _prepare = env_str("DATABASE_PREPARE_THRESHOLD", "5").strip().lower()
    DATABASES["default"]["OPTIONS"].setdefault(
        "prepare_threshold", None if _prepare in ("off", "none") else env_int("DATABASE_PREPARE_THRESHOLD", 5)
    )
    # A pooler in transaction mode may hand each statement of a chunked read to another server connection.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False)
# An SQLite database made before files were created private.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    for _suffix in ("", "-wal", "-shm"):
        _database_file = Path(str(DATABASES["default"]["NAME"]) + _suffix)
        if _database_file.exists() and _database_file.stat().st_mode & 0o077:
            _database_file.chmod(0o600)

# Background work (jobs app) and the timeouts of network calls; README "Background work".
# A job's lease: a worker killed mid-job has its job run again this long after its last renewal.
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 60)
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 5)
# Retries wait base, 2×base, 4×base … (capped at an hour), then the job is a dead letter in the admin.
JOBS_RETRY_BASE_SECONDS = env_int("JOBS_RETRY_BASE_SECONDS", 30)
# On SIGTERM the running job may finish for this long, then it is released for another worker.
JOBS_STOP_GRACE_SECONDS = env_int("JOBS_STOP_GRACE_SECONDS", 10)
# /healthz fails when the oldest due job waited, or the last worker heartbeat is older, than these.
HEALTH_MAX_QUEUE_AGE_SECONDS = env_int("HEALTH_MAX_QUEUE_AGE_SECONDS", 600)
HEALTH_MAX_HEARTBEAT_AGE_SECONDS = env_int("HEALTH_MAX_HEARTBEAT_AGE_SECONDS", 120)
# An SMTP server that accepts and never answers must not hold a worker for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# Set (e.g. "/_downloads/") when the proxy serves download files itself: the view checks access,
# then answers X-Accel-Redirect: <prefix><work id>/<file> (deploy/nginx.conf).
DOWNLOADS_ACCEL_REDIRECT = env_str("DOWNLOADS_ACCEL_REDIRECT")
