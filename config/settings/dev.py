from .base import *
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
# A dev default that works with no environment at all; never used by production.py.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-0f3b6c1e9a"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# runserver serves static files in development; WhiteNoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]
INSTALLED_APPS = [a for a in INSTALLED_APPS if a != "whitenoise.runserver_nostatic"]
