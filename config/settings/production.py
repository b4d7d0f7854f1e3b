"""Settings for a deployed service behind TLS."""

from config.settings.base import *  # noqa: F403

SECURE_SSL_REDIRECT = env_bool("CARELEAD_SSL_REDIRECT", True)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Browsers that have never visited still use HTTPS once the domain is on the preload list (NCSC advice for public
# services); turn off only for a domain that cannot commit to HTTPS for all its subdomains.
SECURE_HSTS_PRELOAD = env_bool("CARELEAD_HSTS_PRELOAD", True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
