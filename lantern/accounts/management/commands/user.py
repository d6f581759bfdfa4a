"""`lantern user add|list|deactivate|reactivate|leaver|token`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from lantern.accounts.models import Organisation, OrgRole, ReviewRole, User
from lantern.accounts.services import (
    api_token_create,
    user_create,
    user_deactivate,
    user_leaver,
    user_reactivate,
)
from lantern.core.management.base import LanternCommand, read_stdin_secret

ROLE_CHOICES = [r for r in OrgRole.values if r] + list(ReviewRole.values)


def _organisation(name: str | None, role: str, org_type: str | None) -> Organisation | None:
    if not name:
        return None
    org = Organisation.objects.filter(name__iexact=name.strip()).first()
    if org is not None:
        return org
    from lantern.reviews.services import organisation_get_or_create

    if org_type is None:
        csp_role = role in (OrgRole.COORDINATOR, OrgRole.BOARD_MEMBER)
        org_type = "csp" if csp_role or "safety partnership" in name.lower() else "other"
    return organisation_get_or_create(name=name, type=org_type)


class Command(LanternCommand):
    help = "Manage user accounts."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create an account")
        add.add_argument("username")
        add.add_argument(
            "--role",
            required=True,
            choices=ROLE_CHOICES,
            help="organisation role (admin, coordinator, board_member) or the review "
            "role the person will hold (chair, author, panel_member, "
            "agency_author; add them to a review with `review add-member`)",
        )
        add.add_argument("--organisation", help="organisation name (created if new)")
        add.add_argument("--organisation-type", choices=Organisation.Type.values)
        add.add_argument("--email", default="")
        add.add_argument("--first-name", default="")
        add.add_argument("--last-name", default="")
        add.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )
        self.add_json_argument(add)
        lst = sub.add_parser("list", help="list accounts")
        self.add_json_argument(lst)
        for name, text in (
            ("deactivate", "deactivate an account"),
            ("reactivate", "reactivate an account"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("username")
            p.add_argument("--reason", default="Deactivated by hand")
        leaver = sub.add_parser("leaver", help="end every review role and deactivate")
        leaver.add_argument("username")
        leaver.add_argument("--handover-to", default=None)
        leaver.add_argument("--reason", default="Left the organisation")
        self.add_json_argument(leaver)
        token = sub.add_parser("token", help="create an API token (printed once)")
        token.add_argument("username")
        token.add_argument("--name", default="cli")
        token.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            metavar="SCOPE",
            help="what the token may do: read (GET only) or write (everything); repeat or "
            "give 'read write'. Default: read write",
        )
        self.add_json_argument(token)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_system=False).first()
        if user is None:
            raise CommandError(f"No user called '{username}'.")
        return user

    def run(self, actor: Any, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            role = options["role"]
            org_role = role if role in OrgRole.values else ""
            password = None
            if options["password_stdin"]:
                password = read_stdin_secret("Password: ")
                if not password:
                    raise CommandError("--password-stdin given but no password on standard input.")
            org = _organisation(options.get("organisation"), role, options.get("organisation_type"))
            user, generated = user_create(
                by=actor,
                username=options["username"],
                org_role=org_role,
                organisation=org,
                email=options["email"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
            if options["json"]:
                self.emit_json(
                    {
                        "username": user.username,
                        "role": role,
                        "organisation": org.name if org else None,
                        "one_time_password": generated,
                    }
                )
            else:
                self.stdout.write(f"Created {user.username} ({role})")
                if generated:
                    self.stdout.write(f"One-time password: {generated}")
            if role in ReviewRole.values:
                self.stderr.write(
                    f"Add {user.username} to a review with: lantern review "
                    f"add-member REF {user.username} --role {role}"
                )
        elif action == "list":
            users = User.objects.filter(is_system=False).select_related("organisation")
            rows = [
                {
                    "username": u.username,
                    "name": u.get_full_name(),
                    "role": u.org_role,
                    "organisation": u.organisation.name if u.organisation else None,
                    "active": u.is_active,
                }
                for u in users
            ]
            if options["json"]:
                self.emit_json(rows)
            else:
                for r in rows:
                    state = "" if r["active"] else " (deactivated)"
                    self.stdout.write(
                        f"{r['username']}\t{r['role'] or '-'}\t{r['organisation'] or '-'}{state}"
                    )
        elif action == "deactivate":
            user_deactivate(
                user=self._user(options["username"]), by=actor, reason=options["reason"]
            )
            self.stdout.write(f"Deactivated {options['username']}")
        elif action == "reactivate":
            user_reactivate(user=self._user(options["username"]), by=actor)
            self.stdout.write(f"Reactivated {options['username']}")
        elif action == "leaver":
            handover = self._user(options["handover_to"]) if options["handover_to"] else None
            result = user_leaver(
                user=self._user(options["username"]),
                by=actor,
                reason=options["reason"],
                handover_to=handover,
            )
            if options["json"]:
                self.emit_json(result)
            else:
                self.stdout.write(
                    f"{options['username']} deactivated; roles ended on "
                    f"{len(result['ended'])} review(s)"
                )
        elif action == "token":
            token, raw = api_token_create(
                user=self._user(options["username"]),
                by=actor,
                name=options["name"],
                scopes=options["scopes"],
            )
            if options.get("json"):
                self.emit_json(
                    {
                        "key": raw,
                        "prefix": token.prefix,
                        "name": token.name,
                        "scopes": token.scopes.split(),
                        "username": token.user.username,
                    }
                )
            else:
                self.stdout.write(raw)
