from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("institution/<str:code>/", views.institution_overview, name="institution"),
    path("password/new/", views.password_new_after_code, name="password_new"),
    path("memberships/grant/", views.membership_grant_view, name="membership_grant"),
    path("mfa/continue/", views.mfa_continue, name="mfa_continue"),
]
