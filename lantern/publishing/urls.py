"""Mounted at /reviews/<str:reference>/publication/ (namespace "publishing")."""

from django.urls import path

from lantern.publishing.views import dissemination, drafts, qa

app_name = "publishing"

urlpatterns = [
    path("", drafts.index, name="index"),
    path("drafts/", drafts.drafts, name="drafts"),
    path("drafts/<int:version_id>/", drafts.draft_download, name="draft_download"),
    path("comments/", drafts.comments, name="comments"),
    path(
        "comments/<int:circulation_id>/draft/",
        drafts.circulation_download,
        name="circulation_download",
    ),
    path("family/", drafts.family, name="family"),
    path("sign-off/", qa.signoff, name="signoff"),
    path("pack/", qa.pack, name="pack"),
    path("qa/", qa.qa, name="qa"),
    path("qa/<int:submission_id>/letter/", qa.qa_letter, name="qa_letter"),
    path("qa/<int:submission_id>/pack/", qa.qa_pack, name="qa_pack"),
    path("publish/", qa.publish, name="publish"),
    path("publish/files/<int:file_id>/", qa.published_file, name="published_file"),
    path("dissemination/", dissemination.dissemination, name="dissemination"),
    path(
        "dissemination/<int:send_id>/briefing/",
        dissemination.briefing_download,
        name="briefing_download",
    ),
    path("briefing/", dissemination.briefing, name="briefing"),
]
