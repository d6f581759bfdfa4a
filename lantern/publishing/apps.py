from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "lantern.publishing"
    label = "publishing"
    verbose_name = _("Authored report, QA, publication and dissemination")
