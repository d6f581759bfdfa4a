"""`lantern sso discover ISSUER`: the settings single sign-on needs, from the provider's own
discovery document (for Entra ID the issuer is
https://login.microsoftonline.com/TENANT-ID/v2.0)."""

from __future__ import annotations

from typing import Any

import requests

from lantern.core.management.base import LanternCommand

VARIABLES = (
    ("LANTERN_OIDC_ISSUER", "issuer"),
    ("LANTERN_OIDC_AUTHORIZATION_ENDPOINT", "authorization_endpoint"),
    ("LANTERN_OIDC_TOKEN_ENDPOINT", "token_endpoint"),
    ("LANTERN_OIDC_USERINFO_ENDPOINT", "userinfo_endpoint"),
    ("LANTERN_OIDC_JWKS_ENDPOINT", "jwks_uri"),
)


class Command(LanternCommand):
    help = "Single sign-on set-up: print the endpoint settings from a provider's discovery."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        discover = sub.add_parser("discover", help="read ISSUER/.well-known/openid-configuration")
        discover.add_argument("issuer")
        self.add_json_argument(discover)

    def run(self, actor: Any, **options: Any) -> None:
        url = options["issuer"].rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            self.fail(f"{url}: could not read the discovery document ({error}).")
        missing = [key for _var, key in VARIABLES if not document.get(key)]
        if missing:
            self.fail(f"{url}: the discovery document has no {', '.join(missing)}.")
        values = {var: document[key] for var, key in VARIABLES}
        if options.get("json"):
            self.emit_json(values)
            return
        for var, value in values.items():
            self.stdout.write(f"{var}={value}")
        self.stdout.write(
            "# and LANTERN_OIDC_CLIENT_ID / LANTERN_OIDC_CLIENT_SECRET from the app registration"
        )
