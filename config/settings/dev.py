from .base import *  # noqa: F403
from .base import VETTED_SIGNING_PKCS12, env_bool

DEBUG = env_bool("DEBUG", True)
# A dev default that works with no environment at all; never used by production.py.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-0f3b6c1e9a"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# runserver serves static files in development; WhiteNoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405
INSTALLED_APPS = [a for a in INSTALLED_APPS if a != "whitenoise.runserver_nostatic"]  # noqa: F405
# Dossiers are signed with the self-signed certificate that `manage.py dossier_signing_cert` writes (make run
# creates it); without it they are generated unsigned and marked so on the cover.
if not (VETTED_SIGNING_PKCS12 or VETTED_SIGNING_KEY):  # noqa: F405
    VETTED_SIGNING_PKCS12 = str(BASE_DIR / "var" / "signing" / "dossier-signing.p12")  # noqa: F405
VETTED_SIGNING_PASSPHRASE = VETTED_SIGNING_PASSPHRASE or "dev-only-dossier-signing-passphrase"  # noqa: F405
