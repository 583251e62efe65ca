from django.urls import path

from . import views

app_name = "credits"
urlpatterns = [
    path("", views.home, name="home"),
    path("declare/", views.declare, name="declare"),
    path("apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("outcomes/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("outcomes/<int:pk>/credential.jwt", views.credential, name="credential"),
    path("credentials/<uuid:pk>.json", views.credential_json, name="credential_json"),
    path("credentials/<uuid:pk>/", views.credential_verify, name="credential_verify"),
    path("transcripts/new/", views.transcript_new, name="transcript_new"),
    path("transcripts/<str:code>.pdf", views.transcript_pdf, name="transcript_pdf"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("issuer.json", views.issuer, name="issuer"),
    path("keys/ed25519.json", views.public_key, name="public_key"),
    path("checkpoints/", views.checkpoints, name="checkpoints"),
    path("checkpoints.json", views.checkpoints_json, name="checkpoints_json"),
    path("status/<int:number>/", views.status_list, name="status_list"),
    path("staff/", views.queue, name="queue"),
    path("staff/outcomes/<int:pk>/", views.staff_outcome, name="staff_outcome"),
    path("staff/applications/<int:pk>/", views.staff_application, name="staff_application"),
    path("staff/lookup/", views.account_lookup, name="account_lookup"),
    path("staff/audit/", views.audit, name="audit"),
    path("staff/rules/", views.rules, name="rules"),
    path("staff/accreditations/", views.accreditations, name="accreditations"),
]
