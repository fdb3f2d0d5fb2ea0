"""Test configuration: the normal settings with fast, isolated services."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# The test client speaks plain HTTP straight to the portal, whatever the
# developer's environment says about HTTPS and proxies.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
TRUSTED_PROXY_COUNT = 0
ALLOWED_HOSTS = ["*"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Tests always run Celery tasks in-process; the worker itself is exercised by
# tests marked `service`, which talk to Redis directly.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
TASKS_IN_BACKGROUND_THREAD = False

# Static files are served by the finders in tests; there is no collected tree.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
