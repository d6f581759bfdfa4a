from django.urls import path

from lantern.reviews.views import core, process  # noqa: F401

app_name = "reviews"

# Pages about the review's life (views/core.py).
core_patterns = [
    path("", core.dashboard, name="dashboard"),
    path("alerts/read/", core.alert_read, name="alert_read"),
    path("notify/", core.notify, name="notify"),
    path("notify/sent/", core.notify_sent, name="notify_sent"),
    path("<str:reference>/", core.detail, name="detail"),
    path("<str:reference>/edit/", core.edit, name="edit"),
    path("<str:reference>/transition/", core.transition, name="transition"),
    path("<str:reference>/people/", core.people, name="people"),
    path("<str:reference>/people/new/", core.person_new, name="person_new"),
    path("<str:reference>/people/<int:person_id>/edit/", core.person_edit, name="person_edit"),
    path(
        "<str:reference>/people/<int:person_id>/remove/",
        core.person_remove,
        name="person_remove",
    ),
    path("<str:reference>/agencies/", core.agencies, name="agencies"),
    path("<str:reference>/criteria/", core.criteria, name="criteria"),
    path("<str:reference>/decision/", core.decision, name="decision"),
    path("<str:reference>/qa/", core.qa, name="qa"),
    path("<str:reference>/audit/", core.audit, name="audit"),
]

# Pages for running the review (views/process.py).
process_patterns = [
    path("<str:reference>/terms/", process.terms, name="terms"),
    path("<str:reference>/panel/", process.panel, name="panel"),
    path(
        "<str:reference>/panel/<int:membership_id>/independence/",
        process.panel_independence,
        name="panel_independence",
    ),
    path(
        "<str:reference>/panel/<int:membership_id>/end/",
        process.panel_member_end,
        name="panel_member_end",
    ),
    path("<str:reference>/clock/", process.clock, name="clock"),
    path("<str:reference>/family/", process.family, name="family"),
    path("<str:reference>/meetings/", process.meetings, name="meetings"),
    path(
        "<str:reference>/meetings/<int:meeting_id>/",
        process.meeting_detail,
        name="meeting_detail",
    ),
    path(
        "<str:reference>/meetings/<int:meeting_id>/actions/<int:action_id>/done/",
        process.meeting_action_done,
        name="meeting_action_done",
    ),
]

urlpatterns = core_patterns + process_patterns
