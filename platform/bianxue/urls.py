"""Root URLs. Wagtail serves the page tree last, so app URLs come first."""

from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from bianxue import views
from frontend import views as portal_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # One sign-in door: the CMS's own login form is never served; the site's login (allauth) is.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True), name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("my/", portal_views.my_hub, name="my_hub"),  # 我的: every role's work (frontend.selectors)
    path("me/identity/", include("bianxue.people.urls")),
    path("me/notifications/", include("bianxue.notifications.urls")),
    path("me/", include("bianxue.accounts.urls")),
    path("ui/", include("frontend.urls")),
    path("learn/", include("courses.urls")),
    path("credits/", include("credits.urls")),
    path("records/", include("credits.records.urls")),
    path("community/", include("community.urls")),
    path("search/", include("search.urls")),
]

# Media in the embedded setup, DEBUG or not (views.media keeps CMS documents behind Wagtail's checked view).
urlpatterns += [path("media/<path:path>", views.media)]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "bianxue.views.page_not_found"
handler500 = "bianxue.views.server_error"
