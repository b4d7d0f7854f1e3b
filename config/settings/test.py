"""Fast settings for the test suite."""

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
CARELEAD_TRENDS_REFRESH_ON_CHANGE = False  # tests refresh trends themselves
CARELEAD_FIGURES_REFRESH_ON_CHANGE = False  # figures are computed when a page first asks for them
AXES_ENABLED = False  # tests sign in with force_login and client.login; the lockout tests turn it on
