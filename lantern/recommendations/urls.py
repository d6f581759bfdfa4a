"""Mounted at /reviews/<str:reference>/actions/ (namespace "recommendations")."""

from django.urls import path

from lantern.recommendations.views import actions, plan

app_name = "recommendations"

urlpatterns = [
    path("", plan.plan, name="plan"),
    path("import/", plan.plan_import, name="import"),
    path("export.xlsx", plan.export_xlsx, name="export_xlsx"),
    path("export.docx", plan.export_docx, name="export_docx"),
    path("from-imrs/", plan.from_imrs, name="from_imrs"),
    path("recommendations/new/", plan.recommendation_new, name="recommendation_new"),
    path("recommendations/similar/", plan.similar, name="similar"),
    path(
        "recommendations/<int:rec_id>/",
        plan.recommendation_detail,
        name="recommendation_detail",
    ),
    path(
        "recommendations/<int:rec_id>/edit/",
        plan.recommendation_edit,
        name="recommendation_edit",
    ),
    path("recommendations/<int:rec_id>/actions/new/", plan.action_new, name="action_new"),
    path("<int:action_id>/", actions.action_detail, name="action_detail"),
    path("<int:action_id>/edit/", actions.action_edit, name="action_edit"),
    path("<int:action_id>/update/", actions.action_update, name="action_update"),
    path("<int:action_id>/evidence/", actions.evidence_add, name="evidence_add"),
    path(
        "<int:action_id>/evidence/<int:evidence_id>/",
        actions.evidence_download,
        name="evidence_download",
    ),
    path("<int:action_id>/sign-off/", actions.action_sign_off, name="action_sign_off"),
]
