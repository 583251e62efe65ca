"""Real-name binding pages: the resident's (/me/identity/), staff confirmation, the bureau's unbind page."""

from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.identity, name="identity"),
    path("code/", views.identity_code, name="identity_code"),
    path("resend/", views.identity_resend, name="identity_resend"),
    path("withdraw/", views.identity_withdraw, name="identity_withdraw"),
    path("requests/", views.binding_requests, name="binding_requests"),
    path("bindings/", views.bindings, name="bindings"),
]
