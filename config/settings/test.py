from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-8c2d4e6f"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process in tests; the broker tests start a real worker on REDIS_URL themselves.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
VETTED_TASKS_IN_THREADS = False  # a test that wants the embedded default's background threads turns it on
LANGUAGE_CODE = "en"
# The live server of the browser tests serves static files itself; WhiteNoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405
INSTALLED_APPS = [a for a in INSTALLED_APPS if a != "whitenoise.runserver_nostatic"]  # noqa: F405
# Each test process counts in its own memory; the Redis cache is tested on purpose (tests/api, marked
# redis), and a shared one would carry rate counts from test to test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
