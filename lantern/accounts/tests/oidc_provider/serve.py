"""Start the test OpenID provider: migrate a fresh SQLite database, create the test users and
Lantern's client, and serve on 127.0.0.1:PORT until killed.

    python -m lantern.accounts.tests.oidc_provider.serve PORT REDIRECT_URI
with PROVIDER_DB, PROVIDER_USERS (JSON: username -> {password, email, tid, roles, amr}),
PROVIDER_CLIENT_ID and PROVIDER_CLIENT_SECRET in the environment.
"""

import json
import os
import sys


def main() -> None:
    port, redirect_uri = int(sys.argv[1]), sys.argv[2]
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["PROVIDER_RSA_KEY"] = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    os.environ["PROVIDER_ISSUER"] = f"http://127.0.0.1:{port}/o"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lantern.accounts.tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, person in json.loads(os.environ.get("PROVIDER_USERS", "{}")).items():
        User.objects.create_user(
            username=username,
            password=person["password"],
            email=person.get("email", ""),
            first_name=person.get("given_name", ""),
            last_name=person.get("family_name", ""),
        )
    Application.objects.create(
        name="Lantern",
        client_id=os.environ["PROVIDER_CLIENT_ID"],
        client_secret=os.environ["PROVIDER_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    print("ready", flush=True)
    run("127.0.0.1", port, get_wsgi_application(), threading=True, server_cls=WSGIServer)


if __name__ == "__main__":
    main()
