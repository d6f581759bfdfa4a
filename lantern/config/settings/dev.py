"""Local development and the demo started by `make run`."""

from .base import *  # noqa: F403
from .base import DATA_DIR, SECRET_KEY, env_bool

DEBUG = env_bool("LANTERN_DEBUG", True)
# A per-checkout key, generated once, so the demo needs no configuration but no key ships in git.
if not SECRET_KEY:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _key_file = DATA_DIR / "secret_key"
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
