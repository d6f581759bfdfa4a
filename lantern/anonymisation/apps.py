from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnonymisationConfig(AppConfig):
    name = "lantern.anonymisation"
    label = "anonymisation"
    verbose_name = _("Anonymisation check")
