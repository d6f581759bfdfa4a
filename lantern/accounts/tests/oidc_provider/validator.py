import json
import os

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """Adds the claims an Entra ID token carries: email, names, tenant (tid), app roles and the
    authentication methods (amr), per test user from PROVIDER_USERS."""

    oidc_claim_scope = None  # every claim, whatever the scopes

    def get_additional_claims(self, request):  # noqa: ANN001, ANN201
        user = request.user
        extra = json.loads(os.environ.get("PROVIDER_USERS", "{}")).get(user.username, {})
        return {
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "tid": extra.get("tid", ""),
            "roles": extra.get("roles", []),
            "amr": extra.get("amr", ["pwd"]),
        }
