from django.db import migrations

DEFAULT_TYPES = [
    ("dhr", "Domestic Homicide Review",
     "A review under section 9 of the Domestic Violence, Crime and Victims Act 2004."),
    ("dardr", "Domestic Abuse Related Death Review",
     "The renamed review under the Victims and Prisoners Act 2024 s19, once in force."),
    ("susr", "Single Unified Safeguarding Review",
     "Wales's single review covering domestic homicide and other safeguarding reviews."),
    ("joint_dhr_sar", "Joint Domestic Homicide Review and Safeguarding Adults Review", ""),
    ("joint_dhr_cspr", "Joint Domestic Homicide Review and Child Safeguarding Practice Review", ""),
]


def add_types(apps, schema_editor):
    ReviewType = apps.get_model("reviews", "ReviewType")
    for slug, name, description in DEFAULT_TYPES:
        ReviewType.objects.get_or_create(slug=slug, defaults={"name": name,
                                                              "description": description})


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
